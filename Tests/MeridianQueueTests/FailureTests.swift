import Foundation
import MeridianDomainTestSupport
import MeridianQueue
import MeridianTestSupport
import PostgresNIO
import Testing

@Suite struct FailureTests {
    @Test func failuresRetryWithTheirDelayThenDieWithEveryErrorKept() async throws {
        try await withQueue { _, client, store in
            let id = try await store.enqueue(NewJob(kind: "flaky", maxAttempts: 3), on: client).id
            for attempt in 1...3 {
                // Make a backed-off job due now instead of waiting for it.
                try await client.query("UPDATE queue_jobs SET state = 'available', run_at = now() WHERE id = \(id.rawValue) AND state = 'scheduled'")
                let job = try #require(try await store.claimAll(on: client).first)
                #expect(job.attempt == Int32(attempt))
                let result = try await store.fail([Failure(lease: job.lease, message: "boom \(attempt)", retryDelayMilliseconds: 60_000)], on: client)
                if attempt < 3 {
                    #expect(result.retried == [id])
                    let waiting = try #require(try await store.job(id, on: client))
                    #expect(waiting.state == .scheduled)
                    let delay = try #require(waiting.runAt).timeIntervalSinceNow
                    #expect(delay > 50 && delay <= 60)
                } else {
                    #expect(result.dead == [id])
                }
            }
            let dead = try #require(try await store.job(id, on: client))
            #expect(dead.state == .dead)
            #expect(dead.errors.map(\.error) == ["boom 1", "boom 2", "boom 3"])
            #expect(dead.errors.map(\.attempt) == [1, 2, 3])
            #expect(try await hotCount(client) == 0)

            // Retrying a dead job puts it back with fresh attempts, errors kept.
            try await store.retry(id, on: client)
            let again = try #require(try await store.job(id, on: client))
            #expect(again.state == .available && again.attempt == 0 && again.errors.count == 3)
            let job = try #require(try await store.claimAll(on: client).first)
            #expect(try await store.complete([job.lease], on: client).accepted == [id])
            await #expect(throws: QueueError.self) { try await store.retry(id, on: client) }
        }
    }

    @Test func retryAllDeadMovesEveryDeadJobOfAQueue() async throws {
        try await withQueue { _, client, store in
            for queue: QueueName in ["a", "a", "b"] {
                _ = try await store.enqueue(NewJob(kind: "k", queue: queue, maxAttempts: 1), on: client)
                let job = try #require(try await store.claimAll(queue, on: client).first)
                #expect(try await store.fail([Failure(lease: job.lease, message: "x", retryDelayMilliseconds: 0)], on: client).dead == [job.id])
            }
            #expect(try await store.stats(on: client).map(\.dead) == [2, 1])
            #expect(try await store.retryAllDead(queue: "a", on: client) == 2)
            #expect(try await store.stats(on: client).map(\.dead) == [0, 1])
            #expect(try await store.retryAllDead(on: client) == 1)
            #expect(try await hotCount(client) == 3)
        }
    }

    @Test func retryOfADeadJobWhoseKeyIsTakenIsRefused() async throws {
        try await withQueue { _, client, store in
            let id = try await store.enqueue(NewJob(kind: "k", maxAttempts: 1, uniqueKey: "u"), on: client).id
            let job = try #require(try await store.claimAll(on: client).first)
            _ = try await store.fail([Failure(lease: job.lease, message: "x", retryDelayMilliseconds: 0)], on: client)
            let newer = try await store.enqueue(NewJob(kind: "k", uniqueKey: "u"), on: client)
            #expect(newer.inserted)
            await #expect(throws: QueueError.self) { try await store.retry(id, on: client) }
            #expect(try await store.job(id, on: client)?.state == .dead)
        }
    }

    @Test func cancelRemovesWaitingAndRunningJobs() async throws {
        try await withQueue { _, client, store in
            let waiting = try await store.enqueue(NewJob(kind: "k"), on: client).id
            #expect(try await store.cancel(waiting, on: client) == .available)
            #expect(try await store.job(waiting, on: client)?.state == .cancelled)

            let running = try await store.enqueue(NewJob(kind: "k"), on: client).id
            let job = try #require(try await store.claimAll(on: client).first)
            #expect(try await store.cancel(running, on: client) == .running)
            // The worker's completion is refused: the job stays cancelled.
            #expect(try await store.complete([job.lease], on: client).refused == [running])
            #expect(try await store.job(running, on: client)?.state == .cancelled)

            await #expect(throws: QueueError.self) { try await store.cancel(running, on: client) }
            do {
                try await store.cancel(JobID(999_999), on: client)
                Issue.record("cancelling an unknown id succeeded")
            } catch let error as QueueError {
                #expect(error.code == .notFound)
            }
            // A cancelled job can be retried.
            try await store.retry(waiting, on: client)
            #expect(try await store.job(waiting, on: client)?.state == .available)
        }
    }

    @Test func rescueReturnsExpiredLeasesOrBuriesLastAttempts() async throws {
        try await withQueue { _, client, store in
            let retriable = try await store.enqueue(NewJob(kind: "k", maxAttempts: 3), on: client).id
            let last = try await store.enqueue(NewJob(kind: "k", maxAttempts: 1), on: client).id
            let healthy = try await store.enqueue(NewJob(kind: "k"), on: client).id
            _ = try await store.claimAll(on: client)
            try await client.query("UPDATE queue_jobs SET lease_expires_at = now() - interval '1 second' WHERE id <> \(healthy.rawValue)")
            #expect(try await store.rescueExpired(on: client) == RescueResult(returned: 1, dead: 1))
            let returned = try #require(try await store.job(retriable, on: client))
            #expect(returned.state == .available && returned.attempt == 1)
            #expect(returned.errors.first?.error.hasPrefix("lease expired") == true)
            #expect(try await store.job(last, on: client)?.state == .dead)
            #expect(try await store.job(healthy, on: client)?.state == .running)
            #expect(try await store.rescueExpired(on: client) == RescueResult(returned: 0, dead: 0))
        }
    }

    @Test func pruneDeletesOldHistoryOnly() async throws {
        try await withQueue { _, client, store in
            _ = try await store.enqueue((0..<5).map { _ in NewJob(kind: "k") }, on: client)
            let jobs = try await store.claimAll(on: client)
            _ = try await store.complete(jobs.map(\.lease), on: client)
            let deadID = try await store.enqueue(NewJob(kind: "k", maxAttempts: 1), on: client).id
            let dying = try #require(try await store.claimAll(on: client).first)
            _ = try await store.fail([Failure(lease: dying.lease, message: "x", retryDelayMilliseconds: 0)], on: client)
            try await client.query("UPDATE queue_job_history SET finished_at = now() - interval '2 days' WHERE id IN (\(jobs[0].id.rawValue), \(jobs[1].id.rawValue), \(deadID.rawValue))")

            #expect(try await store.prune(olderThanSeconds: 86_400, on: client) == 2)
            #expect(try await scalar("SELECT count(*) FROM queue_job_history", on: client) == 4)
            #expect(try await store.job(deadID, on: client)?.state == .dead)
            #expect(try await store.prune(olderThanSeconds: 86_400, includeDead: true, on: client) == 1)
            #expect(try await store.job(jobs[0].id, on: client) == nil)
        }
    }

    @Test func statsCountPerQueueAndState() async throws {
        try await withQueue { _, client, store in
            _ = try await store.enqueue([
                NewJob(kind: "k", queue: "mail", runAt: Date().addingTimeInterval(-30)),
                NewJob(kind: "k", queue: "mail"),
                NewJob(kind: "k", queue: "mail"),
                NewJob(kind: "k", queue: "mail", runAt: Date().addingTimeInterval(600)),
                NewJob(kind: "k", queue: "reports", maxAttempts: 1),
            ], on: client)
            let mail = try await store.claim(queue: "mail", limit: 1, leaseMilliseconds: 60_000, workerID: "w", on: client)
            #expect(try await store.complete(mail.map(\.lease), on: client).accepted.count == 1)
            _ = try await store.claim(queue: "mail", limit: 1, leaseMilliseconds: 60_000, workerID: "w", on: client)
            let report = try #require(try await store.claimAll("reports", on: client).first)
            _ = try await store.fail([Failure(lease: report.lease, message: "x", retryDelayMilliseconds: 0)], on: client)

            let stats = try await store.stats(on: client)
            #expect(stats.map(\.queue) == ["mail", "reports"])
            let mailStats = stats[0]
            #expect(mailStats.scheduled == 1 && mailStats.available == 1 && mailStats.running == 1)
            #expect(mailStats.completedLastMinute == 1 && mailStats.dead == 0)
            #expect(mailStats.oldestAvailableAgeMilliseconds >= 0 && mailStats.oldestAvailableAgeMilliseconds < 10_000)
            #expect(stats[1].dead == 1 && stats[1].available == 0)
        }
    }

    @Test func listShowsActiveOrFinishedJobs() async throws {
        try await withQueue { _, client, store in
            let ids = try await store.enqueue((0..<3).map { _ in NewJob(kind: "k") }, on: client).map(\.id)
            let job = try #require(try await store.claim(queue: .default, limit: 1, leaseMilliseconds: 60_000, workerID: "w", on: client).first)
            _ = try await store.complete([job.lease], on: client)
            #expect(try await store.list(on: client).map(\.id) == [ids[2], ids[1]])
            #expect(try await store.list(state: .completed, on: client).map(\.id) == [ids[0]])
            #expect(try await store.list(queue: "nothing", on: client).isEmpty)
        }
    }
}
