import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianPostgres
import MeridianQueue
import MeridianTestSupport
import PostgresNIO
import ServiceLifecycle
import Synchronization
import Testing

/// The worker service in this process, with handlers that record what they saw.
@Suite struct QueueWorkerTests {
    final class Recorder: Sendable {
        let starts = Mutex<[JobID: [Date]]>([:])
        func record(_ job: ClaimedJob) { starts.withLock { $0[job.id, default: []].append(Date()) } }
        func count(_ id: JobID) -> Int { starts.withLock { $0[id]?.count ?? 0 } }
        func first(_ id: JobID) -> Date? { starts.withLock { $0[id]?.first } }
    }

    struct Boom: Error, CustomStringConvertible {
        var attempt: Int32
        var description: String { "boom on attempt \(attempt)" }
    }

    /// Bodies waiting here ignore cancellation until released: a handler that hangs.
    final class Hang: Sendable {
        private let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])
        func wait() async { await withCheckedContinuation { continuation in waiting.withLock { $0.append(continuation) } } }
        func release() { for continuation in waiting.withLock({ all in defer { all = [] }; return all }) { continuation.resume() } }
    }

    func withWorker(
        _ database: TestDatabase, _ client: PostgresClient, _ handlers: JobHandlers, jobTimeout: Duration? = .seconds(300),
        followUpWindow: Duration? = nil, _ body: () async throws -> Void
    ) async throws {
        var configuration = QueueWorkerConfiguration()
        configuration.jobTimeout = jobTimeout
        if let followUpWindow { configuration.followUpWindow = followUpWindow }
        configuration.queues = [.init(.default, concurrency: 4)]
        configuration.pollInterval = .seconds(5)
        configuration.retryPolicy = RetryPolicy(baseMilliseconds: 200, maximumMilliseconds: 1_000, jitter: .none)
        let worker = QueueWorker(client: client, listenSettings: database.settings, handlers: handlers, configuration: configuration, logger: database.logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: database.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body()
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func failingJobsBackOffThenSucceedWithErrorsKept() async throws {
        try await withQueue { database, client, store in
            let recorder = Recorder()
            var handlers = JobHandlers()
            handlers.register("flaky") { job, _ in
                recorder.record(job)
                if job.attempt < 3 { throw Boom(attempt: job.attempt) }
            }
            try await withWorker(database, client, handlers) {
                let id = try await store.enqueue(NewJob(kind: "flaky"), on: client).id
                try await eventually("the third attempt succeeded", within: 30) { try await store.job(id, on: client)?.state == .completed }
                let job = try #require(try await store.job(id, on: client))
                #expect(job.attempt == 3)
                #expect(job.errors.map(\.error) == ["boom on attempt 1", "boom on attempt 2"])
                #expect(recorder.count(id) == 3)
                let starts = recorder.starts.withLock { $0[id] ?? [] }
                // 200 ms after the first failure, 400 ms after the second (no jitter).
                #expect(starts[1].timeIntervalSince(starts[0]) >= 0.19)
                #expect(starts[2].timeIntervalSince(starts[1]) >= 0.39)
            }
        }
    }

    /// A body that hangs, deaf to cancellation, does not hold its lease for ever through the
    /// heartbeats: the job timeout fails the attempt and the job runs again.
    @Test func aHungBodyTimesOutAndTheJobRunsAgain() async throws {
        try await withQueue { database, client, store in
            let recorder = Recorder()
            let hang = Hang()
            var handlers = JobHandlers()
            handlers.register("stuck") { job, _ in
                recorder.record(job)
                if job.attempt == 1 { await hang.wait() }
            }
            try await withWorker(database, client, handlers, jobTimeout: .milliseconds(500)) {
                let id = try await store.enqueue(NewJob(kind: "stuck"), on: client).id
                try await eventually("the second attempt completed", within: 20) { try await store.job(id, on: client)?.state == .completed }
                let job = try #require(try await store.job(id, on: client))
                #expect(job.attempt == 2)
                #expect(recorder.count(id) == 2)
                #expect(job.errors.map(\.error) == ["the job ran longer than its timeout (0.5 seconds); its body was cancelled"])
                // Before the worker stops: without the timeout its shutdown would wait for the body.
                hang.release()
            }
        }
    }

    @Test func aJobOutOfAttemptsIsDead() async throws {
        try await withQueue { database, client, store in
            var handlers = JobHandlers()
            handlers.register("doomed") { job, _ in throw Boom(attempt: job.attempt) }
            try await withWorker(database, client, handlers) {
                let id = try await store.enqueue(NewJob(kind: "doomed", maxAttempts: 2), on: client).id
                try await eventually("the job died", within: 30) { try await store.job(id, on: client)?.state == .dead }
                #expect(try await store.job(id, on: client)?.errors.count == 2)
            }
        }
    }

    @Test func scheduledJobsStartOnTimeNotBefore() async throws {
        try await withQueue { database, client, store in
            let recorder = Recorder()
            var handlers = JobHandlers()
            handlers.register("timed") { job, _ in recorder.record(job) }
            try await withWorker(database, client, handlers) {
                // The poll interval is 5 s: starting within it shows the worker slept until run-at.
                let runAt = Date().addingTimeInterval(1.5)
                let id = try await store.enqueue(NewJob(kind: "timed", runAt: runAt), on: client).id
                try await eventually("the scheduled job ran", within: 10) { recorder.count(id) == 1 }
                let started = try #require(recorder.first(id))
                #expect(started >= runAt.addingTimeInterval(-0.01))
                #expect(started.timeIntervalSince(runAt) < 4)
            }
        }
    }

    @Test func jobsOfUnknownKindsWaitForAWorkerThatKnowsThem() async throws {
        try await withQueue { database, client, store in
            let recorder = Recorder()
            var handlers = JobHandlers()
            handlers.register("known") { job, _ in recorder.record(job) }
            try await withWorker(database, client, handlers) {
                let unknown = try await store.enqueue(NewJob(kind: "unknown"), on: client).id
                let known = try await store.enqueue(NewJob(kind: "known"), on: client).id
                try await eventually("the known job ran", within: 10) { try await store.job(known, on: client)?.state == .completed }
                let waiting = try #require(try await store.job(unknown, on: client))
                #expect(waiting.state == .available && waiting.attempt == 0 && waiting.errors.isEmpty)
            }
        }
    }
}
