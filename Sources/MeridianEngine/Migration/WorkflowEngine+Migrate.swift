import Foundation
import Logging
import MeridianQueue
import MeridianWorkflow
import PostgresNIO
import MeridianPostgres

/// What migrating the instances of one version to another found and did.
public struct MigrationReport: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        public enum Status: String, Sendable, Hashable, Codable {
            /// Moves (or moved) to the target version.
            case migrate
            /// Its state is neither in the target version nor mapped to one there.
            case blocked
            /// It has ended; ended instances stay on the version they ended on.
            case ended
        }

        public var instanceID: UUID
        public var from: String
        public var to: String
        public var status: Status
        public var reason: String?
    }

    public var workflowID: String
    public var fromVersion: Int
    public var toVersion: Int
    public var entries: [Entry]
    /// `true` when the instances were changed (not a dry run, nothing blocked).
    public var applied: Bool
    public var blocked: Int { entries.filter { $0.status == .blocked }.count }
}

extension WorkflowEngine {
    /// Moves the running instances of `workflow` version `from` to version `to`, each into the
    /// state of the same id or the one `map` names. Every instance is checked before any is
    /// changed: if one state has no place in the target, nothing moves. Each migrated
    /// instance gets a history entry, starts a new stay in its state (so timers set under the
    /// old version no longer fire) and gets the target state's timers.
    public func migrate(workflow: String, from: Int, to: Int, map: [String: String] = [:], dryRun: Bool = false) async throws -> MigrationReport {
        guard from != to else {
            throw EngineError(.invalidInput, "--from and --to are both \(from)", hint: "give two different versions")
        }
        let logger = self.logger
        return try await client.transaction(logger: logger) { connection in
            let source = try await definition(workflow, version: from, on: connection)
            let target = try await definition(workflow, version: to, on: connection)
            for (old, new) in map.sorted(by: { $0.key < $1.key }) {
                guard source.state(old) != nil else {
                    throw EngineError(.invalidInput, "--map \(old)=\(new): \(workflow) v\(from) has no state \(old)")
                }
                guard target.state(new) != nil else {
                    throw EngineError(.invalidInput, "--map \(old)=\(new): \(workflow) v\(to) has no state \(new)")
                }
            }
            let rows = try await connection.query("""
                SELECT id FROM engine_instances WHERE workflow_id = \(workflow) AND workflow_version = \(from) ORDER BY id FOR UPDATE
                """, logger: logger).collect()
            var instances: [InstanceRow] = []
            for row in rows {
                instances.append(try await InstanceRow.lock(try row.decode(UUID.self), on: connection, logger: logger))
            }
            var report = MigrationReport(workflowID: workflow, fromVersion: from, toVersion: to, entries: [], applied: false)
            for instance in instances {
                let destination = map[instance.state] ?? instance.state
                if source.state(instance.state)?.isFinal == true {
                    report.entries.append(.init(instanceID: instance.id, from: instance.state, to: instance.state, status: .ended,
                                                reason: "ended; stays on v\(from)"))
                } else if target.state(destination) == nil {
                    report.entries.append(.init(instanceID: instance.id, from: instance.state, to: destination, status: .blocked,
                                                reason: "v\(to) has no state \(destination); map it with --map \(instance.state)=STATE"))
                } else {
                    report.entries.append(.init(instanceID: instance.id, from: instance.state, to: destination, status: .migrate, reason: nil))
                }
            }
            guard !dryRun, report.blocked == 0 else { return report }
            let now = now()
            for (instance, entry) in zip(instances, report.entries) where entry.status == .migrate {
                try await move(instance, to: entry.to, target: target, now: now, on: connection)
            }
            report.applied = true
            return report
        }
    }

    private func move(_ instance: InstanceRow, to state: String, target: WorkflowDefinition, now: Date, on connection: PostgresConnection) async throws {
        guard let targetState = target.state(state) else { return }
        var snapshot = instance.snapshot
        if snapshot.state != state { snapshot.votes = [] }
        snapshot.state = state
        snapshot.enteredAt = now
        let version = instance.version + 1
        let stateEntry = instance.stateEntry + 1
        let record = HistoryChain.sealed(HistoryRecord(
            instanceID: instance.id, seq: version, workflowVersion: target.version, event: "migrate", takenEvent: "migrate",
            actorID: "migration", actorKind: .system, actorRoles: "", from: instance.state, to: state, occurredAt: now,
            detail: "migrated from v\(instance.workflowVersion) to v\(target.version)", payload: "{}", vote: "",
            idempotencyKey: nil, previousHash: "", hash: ""), previous: instance.historyHash)
        try await instance.store(state: state, version: version, stateEntry: stateEntry, isFinal: targetState.isFinal,
                                 workflowVersion: target.version, context: instance.context, snapshot: snapshot,
                                 historyHash: record.hash, now: now, on: connection, logger: logger)
        try await HistoryStore.append(record, on: connection, logger: logger)
        let timers = StartEffects(state: targetState, now: now).timers
        try await EffectWriter(queue: QueueName(configuration.queue), logger: logger).enqueue(
            tasks: [], timers: timers, instance: instance.id, state: state, stateEntry: stateEntry, on: connection)
    }
}
