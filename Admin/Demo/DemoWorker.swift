import Foundation
import Logging
import MeridianEngine
import MeridianPostgres
import MeridianQueue
import PostgresNIO
import ServiceLifecycle

/// A real `QueueWorker` serving the engine's queue inside the demo's process, the same worker
/// `meridian worker` runs: it claims the exchanges' tasks (matching, notifications, checks,
/// publishing) and timers from PostgreSQL while the demo's people act.
enum DemoWorker {
    /// Runs `body` with the worker running beside it, then stops the worker gracefully.
    static func running<Result: Sendable>(
        engine: WorkflowEngine, settings: ConnectionSettings, logger: Logger, _ body: () async throws -> Result
    ) async throws -> Result {
        var configuration = QueueWorkerConfiguration()
        configuration.queues = [.init(QueueName(WorkflowEngine.defaultQueue), concurrency: 8)]
        configuration.pollInterval = .milliseconds(250)
        let worker = QueueWorker(client: engine.client, listenSettings: settings, handlers: engine.jobHandlers(),
                                 configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result
            do {
                result = try await body()
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }

    /// Waits until `condition` holds — the worker has done its part — checking every 100 ms.
    static func until(_ what: String, within seconds: Double = 60, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLIFailure("the demo waited \(Int(seconds)) s for \(what) in vain; see `meridian queue stats` and `meridian instance incidents`",
                         status: .failure)
    }
}
