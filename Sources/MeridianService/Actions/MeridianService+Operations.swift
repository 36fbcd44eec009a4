import Foundation
import MeridianEngine
import MeridianIdentity
import MeridianPostgres
import MeridianQueue
import PostgresNIO

/// What operators and monitoring read: readiness, queue depth, incidents, workflows.
extension MeridianService {
    /// Figures for monitoring (`/metrics`): aggregates only, no person's data.
    public struct OperationalFigures: Sendable {
        public var queues: [QueueStats]
        public var openIncidents: Int
        /// Steps written to the history since PostgreSQL's statistics were last reset (a counter).
        public var engineSteps: Int64
    }

    /// Whether the database answers and its schema is current; the reason when not.
    public func readiness() async -> (ready: Bool, reason: String) {
        do {
            let rows = try await client.query("SELECT coalesce(max(version), 0)::int8 FROM meridian_schema_migrations", logger: logger).collect()
            let applied = try rows.first?.decode(Int64.self) ?? 0
            let shipped = Int64(try Migrator.bundled().migrations.map(\.version).max() ?? 0)
            guard applied >= shipped else { return (false, "the database lacks migrations \(applied + 1)…\(shipped); run `meridian db migrate`") }
            return (true, "ready")
        } catch {
            return (false, "the database does not answer: \(ServiceError.classify(error)?.message ?? "\(error)")")
        }
    }

    public func operationalFigures() async throws -> OperationalFigures {
        let queues = try await QueueStore(logger: logger).stats(on: client)
        let incidents = try await client.query("SELECT count(*)::int8 FROM engine_incidents WHERE resolved_at IS NULL", logger: logger).collect()
        let steps = try await client.query(
            "SELECT coalesce(sum(n_tup_ins), 0)::int8 FROM pg_stat_user_tables WHERE relname = 'engine_history'", logger: logger).collect()
        return OperationalFigures(queues: queues, openIncidents: Int(try incidents.first?.decode(Int64.self) ?? 0),
                                  engineSteps: try steps.first?.decode(Int64.self) ?? 0)
    }

    /// Deployed workflow definitions, latest versions first (any signed-in user).
    public func workflows(by caller: Caller) async throws -> [DeployedDefinition] {
        try await engine.definitions()
    }

    /// One deployed definition's XML source.
    public func workflowSource(_ id: String, version: Int?, by caller: Caller) async throws -> (DeployedDefinition, String) {
        try await engine.definitionSource(id, version: version)
    }

    /// Instances of every workflow, newest first (supervisors and admins: the list spans every
    /// country's exchanges; each person reads her own through the exchange routes).
    public func instances(workflow: String?, state: String?, limit: Int, by caller: Caller) async throws -> [InstanceRecord] {
        try caller.require(anyOf: [.supervisor, .admin], to: "listing instances")
        return try await engine.instances(workflow: workflow, state: state, limit: limit)
    }

    /// Open incidents (supervisors and admins).
    public func incidents(by caller: Caller) async throws -> [Incident] {
        try caller.require(anyOf: [.supervisor, .admin], to: "reading incidents")
        return try await engine.incidents()
    }

    /// Retries an instance's failed tasks (supervisors and admins).
    public func retryIncidents(of instance: UUID, by caller: Caller) async throws -> [Incident] {
        try caller.require(anyOf: [.supervisor, .admin], to: "retrying incidents")
        return try await engine.retryIncidents(of: instance)
    }

    /// Recomputes the history's hash chain (supervisors and admins).
    public func verifyAudit(instance: UUID? = nil, by caller: Caller) async throws -> AuditReport {
        try caller.require(anyOf: [.supervisor, .admin], to: "verifying the audit chain")
        return try await engine.verifyHistory(instance: instance)
    }
}
