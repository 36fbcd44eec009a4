import Foundation
import MeridianDomainTestSupport
import MeridianQueue
import MeridianTestSupport
import PostgresNIO
import Testing

@Suite struct ClaimTests {
    @Test func claimsByPriorityThenRunAt() async throws {
        try await withQueue { _, client, store in
            let now = Date()
            let late = try await store.enqueue(NewJob(kind: "k", priority: 5, runAt: now.addingTimeInterval(-10)), on: client)
            let urgentNewer = try await store.enqueue(NewJob(kind: "k", priority: 1, runAt: now.addingTimeInterval(-1)), on: client)
            let urgentOlder = try await store.enqueue(NewJob(kind: "k", priority: 1, runAt: now.addingTimeInterval(-5)), on: client)
            let normal = try await store.enqueue(NewJob(kind: "k", priority: 3, runAt: now.addingTimeInterval(-60)), on: client)
            let future = try await store.enqueue(NewJob(kind: "k", priority: 0, runAt: now.addingTimeInterval(3_600)), on: client)
            let other = try await store.enqueue(NewJob(kind: "k", queue: "other", priority: 0), on: client)

            let first = try await store.claim(queue: .default, limit: 2, leaseMilliseconds: 60_000, workerID: "w", on: client)
            #expect(first.map(\.id) == [urgentOlder.id, urgentNewer.id])
            let rest = try await store.claimAll(on: client)
            #expect(rest.map(\.id) == [normal.id, late.id])
            #expect(try await store.job(future.id, on: client)?.state == .scheduled)
            #expect(try await store.job(other.id, on: client)?.state == .available)
            #expect(first.allSatisfy { $0.attempt == 1 })
        }
    }

    @Test func claimsOnlyKindsTheWorkerKnows() async throws {
        try await withQueue { _, client, store in
            let known = try await store.enqueue(NewJob(kind: "known"), on: client)
            let unknown = try await store.enqueue(NewJob(kind: "unknown"), on: client)
            let claimed = try await store.claim(queue: .default, limit: 10, kinds: ["known"], leaseMilliseconds: 1_000, workerID: "w", on: client)
            #expect(claimed.map(\.id) == [known.id])
            #expect(try await store.job(unknown.id, on: client)?.state == .available)
        }
    }

    @Test func concurrentClaimsNeverShareAJob() async throws {
        try await withQueue { _, client, store in
            _ = try await store.enqueue((0..<500).map { _ in NewJob(kind: "k") }, on: client)
            let batches = try await withThrowingTaskGroup(of: [JobID].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        var ids: [JobID] = []
                        while true {
                            let jobs = try await store.claim(queue: .default, limit: 17, leaseMilliseconds: 60_000, workerID: "w", on: client)
                            if jobs.isEmpty { return ids }
                            ids += jobs.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [JobID]()) { $0 += $1 }
            }
            #expect(batches.count == 500)
            #expect(Set(batches).count == 500)
        }
    }

    @Test func staleTokensAreRefusedAndChangeNothing() async throws {
        try await withQueue { _, client, store in
            let id = try await store.enqueue(NewJob(kind: "k", maxAttempts: 5), on: client).id
            let first = try #require(try await store.claimAll(on: client).first)
            // The lease expires; the rescuer returns the job and another worker claims it.
            try await client.query("UPDATE queue_jobs SET lease_expires_at = now() - interval '1 second' WHERE id = \(id.rawValue)")
            #expect(try await store.rescueExpired(on: client) == RescueResult(returned: 1, dead: 0))
            let second = try #require(try await store.claimAll(on: client).first)
            #expect(second.id == id && second.lease.token != first.lease.token && second.attempt == 2)
            let before = try #require(try await store.job(id, on: client))

            let stale = first.lease
            #expect(try await store.complete([stale], on: client).refused == [id])
            #expect(try await store.fail([Failure(lease: stale, message: "late", retryDelayMilliseconds: 0)], on: client).refused == [id])
            #expect(try await store.heartbeat([stale], leaseMilliseconds: 999_999, on: client).refused == [id])
            #expect(try await store.release([stale], on: client).refused == [id])

            let after = try #require(try await store.job(id, on: client))
            #expect(after.state == .running)
            #expect(after.leaseToken == second.lease.token)
            #expect(after.leaseExpiresAt == before.leaseExpiresAt)
            #expect(after.attempt == 2)
            #expect(after.errors.count == 1)  // only the rescuer's "lease expired"

            // The current holder's token works.
            #expect(try await store.heartbeat([second.lease], leaseMilliseconds: 120_000, on: client).accepted == [id])
            #expect(try await store.complete([second.lease], on: client).accepted == [id])
            #expect(try await store.job(id, on: client)?.state == .completed)
            #expect(try await hotCount(client) == 0)
        }
    }

    @Test func releaseGivesTheAttemptBack() async throws {
        try await withQueue { _, client, store in
            let id = try await store.enqueue(NewJob(kind: "k"), on: client).id
            let job = try #require(try await store.claimAll(on: client).first)
            #expect(try await store.release([job.lease], on: client).accepted == [id])
            let released = try #require(try await store.job(id, on: client))
            #expect(released.state == .available && released.attempt == 0 && released.leaseToken == nil)
        }
    }

    @Test func scheduledJobsArePromotedWhenDue() async throws {
        try await withQueue { _, client, store in
            let soon = Date().addingTimeInterval(3)
            let id = try await store.enqueue(NewJob(kind: "k", runAt: soon), on: client).id
            let later = try await store.enqueue(NewJob(kind: "k", runAt: Date().addingTimeInterval(3_600)), on: client)
            #expect(try await store.claimAll(on: client).isEmpty)
            let early = try await store.promoteDue(queue: .default, on: client)
            #expect(early.promoted == 0)
            let next = try #require(early.nextRunAt)
            #expect(abs(next.timeIntervalSince(soon)) < 0.05)
            try await Task.sleep(for: .seconds(max(0, soon.timeIntervalSinceNow) + 0.2))
            let due = try await store.promoteDue(queue: .default, on: client)
            #expect(due.promoted == 1)
            #expect(try await store.claimAll(on: client).map(\.id) == [id])
            #expect(try await store.job(later.id, on: client)?.state == .scheduled)
        }
    }
}
