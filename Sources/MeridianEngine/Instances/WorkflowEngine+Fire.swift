import Foundation
import Logging
import MeridianQueue
import MeridianWorkflow
import PostgresNIO
import MeridianPostgres

extension WorkflowEngine {
    /// Fires an event into an instance: one transaction under the instance's row lock.
    ///
    /// Two events racing on one instance take turns: the second is decided against the state
    /// the first left. A rejected event changes nothing (but its idempotency key, if any,
    /// keeps the rejection as the key's outcome).
    public func fire(_ request: FireRequest) async throws -> FireOutcome {
        try await client.transaction(logger: logger) { connection in
            try await fire(request, requiredStateEntry: nil, on: connection)
        }
    }

    /// Fires `request` inside a transaction the caller holds (see
    /// `PostgresClient.transaction(logger:_:)` from MeridianPostgres), so the caller's own writes — a partner's choice, a
    /// grant's commitment — commit with the step or not at all. A rejected event returns its
    /// outcome and writes nothing but its idempotency key; an error thrown by an in-step task
    /// propagates, and the caller's transaction must then roll back.
    public func fire(_ request: FireRequest, on connection: PostgresConnection) async throws -> FireOutcome {
        try await fire(request, requiredStateEntry: nil, on: connection)
    }

    /// Fires `request` on `connection`, inside the caller's open transaction.
    ///
    /// - Parameter requiredStateEntry: for timers: the state entry the event belongs to; if
    ///   the instance has left it since, the event is stale and does nothing.
    func fire(_ request: FireRequest, requiredStateEntry: Int64?, on connection: PostgresConnection) async throws -> FireOutcome {
        let logger = self.logger
        let instance = try await LockedInstance.lock(request.instanceID, on: connection, logger: logger)
        if let key = request.idempotencyKey, let first = try await IdempotencyStore.find(instance: instance.id, key: key, on: connection, logger: logger) {
            guard first.event == request.event else {
                throw EngineError(.conflict, "the idempotency key \(key) was used for the event \(first.event) on this instance, not \(request.event)",
                                  hint: "use a new key for a new event")
            }
            var outcome = first.outcome
            outcome.replayed = true
            return outcome
        }
        let outcome = try await decideAndStore(request, instance: instance, requiredStateEntry: requiredStateEntry, on: connection)
        // An applied step stored its key with the step itself; a refusal is stored here.
        if let key = request.idempotencyKey, outcome.status != .applied {
            try await IdempotencyStore.record(outcome, key: key, on: connection, logger: logger)
        }
        return outcome
    }

    private func decideAndStore(
        _ request: FireRequest, instance: LockedInstance, requiredStateEntry: Int64?, on connection: PostgresConnection
    ) async throws -> FireOutcome {
        let logger = self.logger
        var outcome = FireOutcome(status: .rejected, instanceID: instance.id, event: request.event, from: instance.state, to: instance.state,
                                  version: instance.version, message: "", rejectionCode: nil, replayed: false)
        if let requiredStateEntry, requiredStateEntry != instance.stateEntry {
            outcome.status = .stale
            outcome.message = "'\(request.event)' belongs to an earlier stay in a state; the instance has moved on (now in \(instance.state)), so it does nothing"
            return outcome
        }
        let definition = try await definition(instance.workflowID, version: instance.workflowVersion, on: connection)
        var context = instance.context
        var snapshot = instance.snapshot
        if !request.contextChanges.isEmpty {
            context.merge(request.contextChanges) { _, new in new }
            snapshot.context = try ContextMapping.instanceContext(from: context)
        }
        let now = now()
        let event = WorkflowEvent(request.event, payload: ContextMapping.payload(from: request.data))
        let step: StepOutcome
        switch WorkflowMachine.step(definition: definition, snapshot: snapshot, event: event, actor: request.actor, now: now, guards: configuration.guards) {
        case .rejected(let rejection):
            outcome.message = rejection.message
            outcome.rejectionCode = rejection.code.rawValue
            return outcome
        case .accepted(let accepted):
            step = accepted
        }
        let version = instance.version + 1
        let stateEntry = step.kind == .transition ? instance.stateEntry + 1 : instance.stateEntry
        let record = HistoryChain.sealed(HistoryRecord(
            instanceID: instance.id, seq: version, workflowVersion: instance.workflowVersion, event: step.history.event,
            takenEvent: step.history.takenEvent, actorID: step.history.actorID, actorKind: step.history.actorKind,
            actorRoles: request.actor.roles.sorted().joined(separator: ","), from: step.history.from, to: step.history.to,
            occurredAt: now, detail: step.message, payload: JSONValue.canonicalText(request.data),
            vote: step.vote.map { "\($0.approval):\($0.decision.rawValue)" } ?? "", idempotencyKey: request.idempotencyKey,
            previousHash: "", hash: ""), previous: instance.historyHash)
        var applied = outcome
        applied.status = .applied
        applied.to = step.to
        applied.version = version
        applied.message = step.message
        try await StepWrite(instance: instance, state: step.to, stateEntry: stateEntry, isFinal: step.isFinal, context: context,
                            snapshot: step.snapshot, record: record, vote: step.vote, key: request.idempotencyKey, outcome: applied)
            .run(on: connection, logger: logger)
        try await StepEffects(instanceID: instance.id, workflowID: instance.workflowID, workflowVersion: instance.workflowVersion,
                              state: step.to, stateEntry: stateEntry, takenEvent: step.history.takenEvent, firedEvent: request.event,
                              data: request.data, actor: request.actor, version: version, context: context)
            .write(tasks: step.tasksToEnqueue, timers: step.timersToSet, engine: self, on: connection)
        return applied
    }
}
