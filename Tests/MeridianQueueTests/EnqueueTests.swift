import Foundation
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
            await #expect(throws: (any Error).self) { try await store.enqueue(NewJob(kind: "x", payload: JobPayload(json: "{nope")), on: client) }
            let remaining = try await hotCount(client)
            #expect(remaining == 0)
        }
    }
}
