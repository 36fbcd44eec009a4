import Foundation
import Logging
import MeridianWorkflow
import MeridianQueue
import PostgresNIO
import MeridianPostgres

extension WorkflowEngine {
    /// Starts an instance of `workflow` (its latest version, or `version`) in its initial
    /// state, in one transaction with its first history entry and the initial state's entry
    /// tasks and timers.
    ///
    /// - Parameters:
    ///   - context: the instance's facts; money under `"amounts"` (see ``ContextMapping``).
    ///   - actor: who starts it, for the history.
    @discardableResult
    public func start(
        workflow: String, version: Int? = nil, context: [String: JSONValue] = [:],
        actor: WorkflowActor = .system("engine"), id: UUID = UUID()
    ) async throws -> InstanceRecord {
        try await client.transaction(logger: logger) { connection in
            try await start(workflow: workflow, version: version, context: context, actor: actor, id: id, on: connection)
        }
    }

    /// Starts an instance inside a transaction the caller holds (see
    /// `PostgresClient.transaction(logger:_:)` from MeridianPostgres), so the caller's own rows — an exchange request —
    /// commit with the instance or not at all.
    @discardableResult
    public func start(
        workflow: String, version: Int? = nil, context: [String: JSONValue] = [:],
        actor: WorkflowActor = .system("engine"), id: UUID = UUID(), on connection: PostgresConnection
    ) async throws -> InstanceRecord {
        let mapped = try ContextMapping.instanceContext(from: context)
        let now = now()
        let logger = self.logger
        let pinned: Int
        if let version { pinned = version } else { pinned = try await latestVersion(of: workflow, on: connection) }
        let definition = try await self.definition(workflow, version: pinned, on: connection)
        guard let initial = definition.state(definition.initial) else {
            throw EngineError(.invalidDefinition, "\(workflow) v\(pinned) has no initial state \(definition.initial)")
        }
        let snapshot = InstanceSnapshot.start(definition, at: now, context: mapped)
        let record = HistoryChain.sealed(HistoryRecord(
            instanceID: id, seq: 1, workflowVersion: pinned, event: "start", takenEvent: "start", actorID: actor.id,
            actorKind: actor.kind, actorRoles: actor.roles.sorted().joined(separator: ","), from: "", to: initial.id,
            occurredAt: now, detail: "started \(workflow) v\(pinned)", payload: JSONValue.canonicalText(context), vote: "",
            idempotencyKey: nil, previousHash: "", hash: ""), previous: HistoryChain.genesis)
        let snapshotText = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        try await connection.query("""
            INSERT INTO engine_instances (id, workflow_id, workflow_version, state, version, state_entry, is_final, context,
                                          snapshot, history_hash, created_at, updated_at)
            VALUES (\(id), \(workflow), \(pinned), \(initial.id), 1, 1, \(initial.isFinal), \(JSONValue.canonicalText(context))::jsonb,
                    \(snapshotText)::jsonb, \(record.hash), \(now), \(now))
            """, logger: logger)
        try await HistoryStore.append(record, on: connection, logger: logger)
        let effects = StartEffects(state: initial, now: now)
        try await StepEffects(instanceID: id, workflowID: workflow, workflowVersion: pinned, state: initial.id, stateEntry: 1,
                              takenEvent: "start", firedEvent: "start", data: [:], actor: actor, version: 1, context: context,
                              occurredAt: now)
            .write(tasks: effects.tasks, timers: effects.timers, engine: self, on: connection)
        return InstanceRecord(id: id, workflowID: workflow, workflowVersion: pinned, state: initial.id, version: 1, stateEntry: 1,
                              isFinal: initial.isFinal, context: JSONValue.canonicalText(context), historyHash: record.hash,
                              createdAt: now, updatedAt: now, openIncidents: 0)
    }
}

/// What entering a state starts, for the initial state (the step function computes it for
/// every later entry).
struct StartEffects {
    var tasks: [TaskRequest]
    var timers: [TimerRequest]

    init(state: StateDefinition, now: Date) {
        tasks = state.entryTasks.map { TaskRequest(name: $0.name, maxAttempts: $0.maxAttempts, state: state.id) }
        timers = state.timers.enumerated().compactMap { index, timer in
            timer.after.map { TimerRequest(id: TimerID(state: state.id, index: index, event: timer.event), event: timer.event, due: $0.added(to: now)) }
        }
    }
}
