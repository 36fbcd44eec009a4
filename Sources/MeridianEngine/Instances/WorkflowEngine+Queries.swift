import Foundation
import Logging
import PostgresNIO

extension WorkflowEngine {
    private static let instanceColumns = """
        i.id, i.workflow_id, i.workflow_version, i.state, i.version, i.state_entry, i.is_final, i.context::text, i.history_hash,
        i.created_at, i.updated_at,
        (SELECT count(*) FROM engine_incidents n WHERE n.instance_id = i.id AND n.resolved_at IS NULL)
        """

    private static func instance(from row: PostgresRow) throws -> InstanceRecord {
        let (id, workflow, workflowVersion, state, version, stateEntry, isFinal, context, hash, created, updated, incidents) =
            try row.decode((UUID, String, Int, String, Int64, Int64, Bool, String, String, Date, Date, Int).self)
        // jsonb prints with its own spacing; hand out the canonical text the history uses.
        let canonical = JSONValue.canonicalText(try JSONValue.parseObject(context, what: "the stored context"))
        return InstanceRecord(id: id, workflowID: workflow, workflowVersion: workflowVersion, state: state, version: version,
                              stateEntry: stateEntry, isFinal: isFinal, context: canonical, historyHash: hash,
                              createdAt: created, updatedAt: updated, openIncidents: incidents)
    }

    /// One instance as it is now.
    public func instance(_ id: UUID) async throws -> InstanceRecord {
        let rows = try await client.query("SELECT \(unescaped: Self.instanceColumns) FROM engine_instances i WHERE i.id = \(id)", logger: logger).collect()
        guard let row = rows.first else {
            throw EngineError(.notFound, "no instance has the id \(id.uuidString.lowercased())", hint: "see `meridian instance list`")
        }
        return try Self.instance(from: row)
    }

    /// Instances, newest first, optionally of one workflow and/or in one state.
    public func instances(workflow: String? = nil, state: String? = nil, limit: Int = 100) async throws -> [InstanceRecord] {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.instanceColumns) FROM engine_instances i
            WHERE (\(workflow)::text IS NULL OR i.workflow_id = \(workflow)) AND (\(state)::text IS NULL OR i.state = \(state))
            ORDER BY i.created_at DESC, i.id LIMIT \(limit)
            """, logger: logger).collect()
        return try rows.map(Self.instance(from:))
    }

    /// An instance's history, oldest first.
    public func history(of id: UUID) async throws -> [HistoryRecord] {
        _ = try await instance(id)
        let rows = try await client.query("""
            SELECT \(unescaped: HistoryStore.columns) FROM engine_history WHERE instance_id = \(id) ORDER BY seq
            """, logger: logger).collect()
        return try rows.map(HistoryStore.record(from:))
    }
}
