import Foundation
import MeridianDomainTestSupport
import MeridianPostgres
import MeridianQueue
import MeridianTestSupport
import PostgresNIO
import Testing

@Suite struct EnqueueTests {
    @Test func enqueueInARolledBackTransactionLeavesNoJob() async throws {
        try await withQueue { database, client, store in
            await #expect(throws: PostgresTransactionError.self) {
                try await client.withTransaction(logger: database.logger) { connection in
                    try await store.enqueue(NewJob(kind: "send-report"), on: connection)
                    try await connection.query("CREATE TABLE business_change (x int)", logger: database.logger)
                    throw Rollback()
                }
            }
            #expect(try await hotCount(client) == 0)
            // The same inside a committed transaction does leave the job.
            let result = try await client.withTransaction(logger: database.logger) { connection in
                try await store.enqueue(NewJob(kind: "send-report"), on: connection)
            }
            #expect(result.inserted)
            #expect(try await hotCount(client) == 1)
            #expect(try await store.job(result.id, on: client)?.state == .available)
        }
    }

    @Test func bulkEnqueueInsertsEveryJobInOrder() async throws {
        try await withQueue { _, client, store in
            let jobs = (0..<2_500).map { NewJob(kind: "index", payload: JobPayload(json: #"{"n": \#($0)}"#), queue: "bulk") }
            let results = try await store.enqueue(jobs, on: client)
            #expect(results.count == 2_500)
            #expect(results.allSatisfy { $0.inserted })
            #expect(Set(results.map(\.id)).count == 2_500)
            #expect(try await hotCount(client) == 2_500)
            // Results line up with the input: job i carries payload n = i.
            for index in [0, 1, 1_234, 2_499] {
                let job = try #require(try await store.job(results[index].id, on: client))
                #expect(try JobPayload(json: job.payload).decode([String: Int].self) == ["n": index])
                #expect(job.queue == "bulk")
            }
        }
    }

    @Test func uniqueKeysReturnTheWaitingOrRunningJob() async throws {
        try await withQueue { _, client, store in
            let first = try await store.enqueue(NewJob(kind: "sync", uniqueKey: "account-7"), on: client)
            let second = try await store.enqueue(NewJob(kind: "sync", uniqueKey: "account-7"), on: client)
            #expect(first.inserted && !second.inserted && first.id == second.id)
            // Another kind may use the same key.
            let other = try await store.enqueue(NewJob(kind: "audit", uniqueKey: "account-7"), on: client)
            #expect(other.inserted && other.id != first.id)
            // Duplicates within one bulk call: the first wins, the others get its id.
            let bulk = try await store.enqueue(
                [NewJob(kind: "sync", uniqueKey: "account-8"), NewJob(kind: "sync"), NewJob(kind: "sync", uniqueKey: "account-8"), NewJob(kind: "sync", uniqueKey: "account-7")],
                on: client
            )
            #expect(bulk[0].inserted && !bulk[2].inserted && bulk[0].id == bulk[2].id)
            #expect(bulk[1].inserted)
            #expect(!bulk[3].inserted && bulk[3].id == first.id)
            #expect(try await hotCount(client) == 4)

            // While running, the key is still held.
            let claimed = try await store.claimAll(on: client)
            let held = try #require(claimed.first { $0.id == first.id })
            #expect(try await store.enqueue(NewJob(kind: "sync", uniqueKey: "account-7"), on: client).id == first.id)
            // Once completed, the key is free again.
            #expect(try await store.complete([held.lease], on: client).accepted == [first.id])
            let third = try await store.enqueue(NewJob(kind: "sync", uniqueKey: "account-7"), on: client)
            #expect(third.inserted && third.id != first.id)
        }
    }

    @Test func invalidJobsAreRefusedBeforeTheDatabase() async throws {
        try await withQueue { _, client, store in
            await #expect(throws: QueueError.self) { try await store.enqueue(NewJob(kind: "x", maxAttempts: 0), on: client) }
            await #expect(throws: QueueError.self) { try await store.enqueue(NewJob(kind: ""), on: client) }
            await #expect(throws: QueueError.self) { try await store.enqueue(NewJob(kind: "x", uniqueKey: ""), on: client) }
            // Malformed JSON is the database's to refuse (the json type): invalid text representation.
            let malformed = await ServerRefusal.of { try await store.enqueue(NewJob(kind: "x", payload: JobPayload(json: "{nope")), on: client) }
            #expect(malformed?.sqlState == "22P02" && malformed?.message.contains("json") == true, "\(String(describing: malformed))")
            let remaining = try await hotCount(client)
            #expect(remaining == 0)
        }
    }

    @Test func anotherStatementEnqueuesThroughQueueAddJobsWithItsOwnWrites() async throws {
        try await withQueue { database, client, store in
            try await client.query("CREATE TABLE orders (id int PRIMARY KEY)", logger: database.logger)
            let later = Date().addingTimeInterval(3_600)
            let jobs = try QueueAddJobs([
                NewJob(kind: "ship", payload: JobPayload(json: #"{"order": 1}"#), queue: "orders", priority: 3, maxAttempts: 4),
                NewJob(kind: "remind", queue: "orders", runAt: later),
            ])
            var bindings = PostgresBindings()
            bindings.append(1)
            jobs.append(to: &bindings)
            let sql = """
                WITH inserted AS (INSERT INTO orders (id) VALUES ($1::int4) RETURNING id)
                SELECT job FROM inserted, \(QueueAddJobs.call(firstParameter: 2)) AS job
                """
            let ids = try await client.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: database.logger).collect()
                .map { JobID(try $0.decode(Int64.self)) }
            #expect(ids.count == 2)
            let ship = try #require(try await store.job(ids[0], on: client))
            #expect(ship.kind == "ship" && ship.queue == "orders" && ship.priority == 3 && ship.maxAttempts == 4 && ship.state == .available)
            #expect(try JobPayload(json: ship.payload).decode([String: Int].self) == ["order": 1])
            let remind = try #require(try await store.job(ids[1], on: client))
            #expect(remind.state == .scheduled && abs((remind.runAt ?? .distantPast).timeIntervalSince(later)) < 0.001)
            // The statement failing takes its jobs with it.
            let duplicate = await ServerRefusal.of {
                _ = try await client.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: database.logger).collect()
            }
            #expect(duplicate?.sqlState == "23505" && duplicate?.message.contains("orders_pkey") == true, "\(String(describing: duplicate))")
            #expect(try await hotCount(client) == 2)
            // A unique key needs QueueStore.enqueue's conflict handling: refused here.
            #expect(throws: QueueError.self) { try QueueAddJobs([NewJob(kind: "ship", uniqueKey: "order-1")]) }
            #expect(throws: QueueError.self) { try QueueAddJobs([NewJob(kind: "ship", maxAttempts: 0)]) }
        }
    }

    @Test func preparingAProducerEnqueuesNothing() async throws {
        try await withQueue { database, client, store in
            try await store.prepareEnqueue(on: client)
            try await client.withConnection { connection in
                try await store.prepareEnqueue(on: connection)
                try await store.enqueue(NewJob(kind: "after-preparing"), on: connection)
            }
            #expect(try await hotCount(client) == 1)
        }
    }
}
