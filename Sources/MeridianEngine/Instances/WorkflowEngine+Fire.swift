import Foundation
import Logging
import MeridianQueue
import MeridianWorkflow
import PostgresNIO
import MeridianPostgres

extension WorkflowEngine {
    /// Fires an event into an instance: one transaction, the step and all its effects.
    ///
    /// Two events racing on one instance take turns: the second is decided against the state
    /// the first left. A rejected event changes nothing (but its idempotency key, if any,
    /// keeps the rejection as the key's outcome). The step is written optimistically (see
    /// ``fireOptimistically(_:requiredStateEntry:reading:)``), under the row lock when it
    /// keeps losing races or runs in-step tasks.
    public func fire(_ request: FireRequest) async throws -> FireOutcome {
        try await fireOptimistically(request, requiredStateEntry: nil)
    }

    /// Fires `request` inside a transaction the caller holds (see
    /// `PostgresClient.transaction(logger:_:)` from MeridianPostgres), so the caller's own writes — a partner's choice, a
    /// grant's commitment — commit with the step or not at all. A rejected event returns its
    /// outcome and writes nothing but its idempotency key; an error thrown by an in-step task
    /// propagates, and the caller's transaction must then roll back.
    public func fire(_ request: FireRequest, on connection: PostgresConnection) async throws -> FireOutcome {
        try await fire(request, requiredStateEntry: nil, on: connection)
    }

    /// Fires `request` on `connection`, inside the caller's open transaction, under the
    /// instance's row lock.
    ///
    /// The step's write (queued tasks and timers included) goes first, then its in-step tasks:
    /// if one throws, the caller's transaction must roll back, and the enqueued jobs with it.
    ///
    /// - Parameter requiredStateEntry: for timers: the state entry the event belongs to; if
    ///   the instance has left it since, the event is stale and does nothing.
    func fire(_ request: FireRequest, requiredStateEntry: Int64?, on connection: PostgresConnection) async throws -> FireOutcome {
        let logger = self.logger
        let instance = try await InstanceRow.lock(request.instanceID, on: connection, logger: logger)
        if let key = request.idempotencyKey, let first = try await IdempotencyStore.find(instance: instance.id, key: key, on: connection, logger: logger) {
            return try Self.replay(first, of: request, key: key)
        }
        let definition = try await definition(instance.workflowID, version: instance.workflowVersion, on: connection)
        switch try decide(request, instance: instance, requiredStateEntry: requiredStateEntry, definition: definition) {
        case .refused(let outcome):
            if let key = request.idempotencyKey {
                try await IdempotencyStore.record(outcome, key: key, on: connection, logger: logger)
            }
            return outcome
        case .accepted(let step):
            try await step.write.run(on: connection, logger: logger)
            try await step.effects.runInStep(step.inStepTasks, engine: self, on: connection)
            return step.outcome
        }
    }

    /// The first outcome of an idempotency key, returned again for `request`.
    static func replay(_ first: (event: String, outcome: FireOutcome), of request: FireRequest, key: String) throws -> FireOutcome {
        guard first.event == request.event else {
            throw EngineError(.conflict, "the idempotency key \(key) was used for the event \(first.event) on this instance, not \(request.event)",
                              hint: "use a new key for a new event")
        }
        var outcome = first.outcome
        outcome.replayed = true
        return outcome
    }
}
