import Foundation
import Logging
import PostgresNIO
import MeridianPostgres

extension WorkflowEngine {
    /// How often an optimistic step is decided again after losing a race before it is taken
    /// under the row lock instead.
    static let optimisticAttempts = 3

    /// Fires `request` in two round trips instead of a transaction of five: one statement
    /// reads the instance (and the request's key), the step is decided in Swift, and one
    /// statement writes it whole (``StepWrite``, checking the version it was read at). A
    /// refusal with a key takes a third, to record it; a definition not yet cached, one more.
    ///
    /// Each step is still one transaction with all its effects — the write is a single
    /// statement. Losing a race writes nothing: the step is read and decided again, and after
    /// ``optimisticAttempts`` tries (a hot instance: many approvers at once) it is taken
    /// under the row lock, where events take turns. A step whose tasks run in its transaction
    /// (in-step handlers) is always taken under the lock.
    ///
    /// - Parameters:
    ///   - requiredStateEntry: for timers, as in ``fire(_:requiredStateEntry:on:)``.
    ///   - reading: the instance as already read (a task's view), used for the first try.
    func fireOptimistically(_ request: FireRequest, requiredStateEntry: Int64?, reading: InstanceReading? = nil) async throws -> FireOutcome {
        var given = reading
        for _ in 0..<Self.optimisticAttempts {
            let current: InstanceReading
            if let given { current = given } else {
                current = try await InstanceReading.read(request.instanceID, key: request.idempotencyKey, on: client, logger: logger)
            }
            given = nil
            if let key = request.idempotencyKey, let first = current.firstOutcome {
                return try Self.replay(first, of: request, key: key)
            }
            let instance = current.instance
            let definition = try await definition(instance.workflowID, version: instance.workflowVersion)
            switch try decide(request, instance: instance, requiredStateEntry: requiredStateEntry, definition: definition) {
            case .refused(let outcome):
                guard let key = request.idempotencyKey else { return outcome }
                if try await IdempotencyStore.recordIfUnchanged(outcome, key: key, version: instance.version, on: client, logger: logger) {
                    return outcome
                }
            case .accepted(let step):
                guard step.inStepTasks.isEmpty else { return try await fireLocked(request, requiredStateEntry: requiredStateEntry) }
                do {
                    try await client.withConnection { connection in
                        try await step.write.run(on: connection, logger: self.logger)
                    }
                    return step.outcome
                } catch let error as EngineError where error.code == .concurrentChange {
                    // Another step moved the instance since it was read.
                } catch let error as PSQLError where error.sqlState == "23505" && error.serverInfo?[.constraintName] == "engine_event_keys_pkey" {
                    // A refusal recorded the request's key since it was read (a step would
                    // have moved the version): the next reading finds and replays it.
                }
            }
        }
        return try await fireLocked(request, requiredStateEntry: requiredStateEntry)
    }

    /// Fires `request` in a transaction of its own under the instance's row lock.
    func fireLocked(_ request: FireRequest, requiredStateEntry: Int64?) async throws -> FireOutcome {
        try await client.transaction(logger: logger) { connection in
            try await fire(request, requiredStateEntry: requiredStateEntry, on: connection)
        }
    }
}
