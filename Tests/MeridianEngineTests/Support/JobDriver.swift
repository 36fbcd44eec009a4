import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianEngine
import MeridianPostgres
import MeridianQueue
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

/// Runs the engine's queued jobs one batch at a time, as a worker would, but under the
/// test's control: no background worker, no waiting.
struct JobDriver {
    let fixture: EngineFixture
    let handlers: JobHandlers
    private var store: QueueStore { QueueStore(logger: fixture.database.logger) }

    init(_ fixture: EngineFixture, tasks: TaskHandlers = TaskHandlers()) {
        self.fixture = fixture
        self.handlers = fixture.engine.jobHandlers(tasks: tasks)
    }

    /// Claims the due jobs of `kinds` (all the engine's when empty), runs each, and reports
    /// each outcome to the queue. Returns the jobs run and whether each succeeded.
    @discardableResult
    func runDue(kinds: [JobKind] = []) async throws -> [(job: ClaimedJob, succeeded: Bool)] {
        let queue = QueueName(WorkflowEngine.defaultQueue)
        _ = try await store.promoteDue(queue: queue, on: fixture.client)
        let jobs = try await store.claim(queue: queue, limit: 100, kinds: kinds.isEmpty ? handlers.kinds : kinds,
                                         leaseMilliseconds: 60_000, workerID: "test", on: fixture.client)
        var results: [(ClaimedJob, Bool)] = []
        for job in jobs {
            let handler = try #require(handlers.handler(for: job.kind))
            do {
                try await handler.handle(job, logger: fixture.database.logger)
                _ = try await store.complete([job.lease], on: fixture.client)
                results.append((job, true))
            } catch {
                _ = try await store.fail([Failure(lease: job.lease, message: String(describing: error), retryDelayMilliseconds: 0)], on: fixture.client)
                results.append((job, false))
            }
        }
        return results
    }

    /// Runs one job's handler again without touching the queue (a redelivery after a crash).
    func rerun(_ job: ClaimedJob) async throws {
        let handler = try #require(handlers.handler(for: job.kind))
        try await handler.handle(job, logger: fixture.database.logger)
    }
}

