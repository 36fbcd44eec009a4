import Foundation
import Logging
import MeridianWorkflow
import PostgresNIO

/// The instance row a step works on: read under its row lock (``lock(_:on:logger:)``) or,
/// for an optimistic step, read without one (``InstanceReading``).
struct InstanceRow {
    var id: UUID
    var workflowID: String
    var workflowVersion: Int
    var state: String
    var version: Int64
    var stateEntry: Int64
    var context: [String: JSONValue]
    var snapshot: InstanceSnapshot
    var historyHash: String

    /// Reads the instance and locks its row until the transaction ends, so steps on one
    /// instance take turns and each sees the one before it.
    static func lock(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> InstanceRow {
        var found: LockStatement.Row?
        for try await row in try await connection.execute(LockStatement(id: id), logger: logger) { found = row }
        guard let row = found else {
            throw EngineError(.notFound, "no instance has the id \(id.uuidString.lowercased())", hint: "see `meridian instance list`")
        }
        let (workflow, workflowVersion, state, version, stateEntry, context, snapshot, hash) = row
        return try InstanceRow(id: id, workflowID: workflow, workflowVersion: workflowVersion, state: state, version: version,
                               stateEntry: stateEntry, contextJSON: context, snapshotJSON: snapshot, historyHash: hash)
    }

    /// Writes the instance after a migration, checking the version it was read at (a write
    /// that lost a race fails instead of overwriting). Fired steps write through ``StepWrite``.
    func store(
        state: String, version: Int64, stateEntry: Int64, isFinal: Bool, workflowVersion: Int, context: [String: JSONValue],
        snapshot: InstanceSnapshot, historyHash: String, now: Date, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let snapshotText = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        let contextText = JSONValue.canonicalText(context)
        let updated = try await connection.query("""
            UPDATE engine_instances
            SET state = \(state), version = \(version), state_entry = \(stateEntry), is_final = \(isFinal),
                workflow_version = \(workflowVersion), context = \(contextText)::jsonb, snapshot = \(snapshotText)::jsonb,
                history_hash = \(historyHash), updated_at = \(now)
            WHERE id = \(id) AND version = \(self.version)
            RETURNING id
            """, logger: logger).collect()
        guard updated.count == 1 else {
            throw EngineError(.concurrentChange, "instance \(id.uuidString.lowercased()) changed while the step ran", hint: "fire the event again")
        }
    }

    /// The columns a step works on, of `engine_instances i`, in the order both the lock and
    /// an optimistic reading (``InstanceReading``) decode them.
    static let columns = "i.workflow_id, i.workflow_version::int8, i.state, i.version, i.state_entry, i.context::text, i.snapshot::text, i.history_hash"

    /// The lock, prepared once per connection (every step takes it).
    struct LockStatement: PostgresPreparedStatement {
        static let name = "meridian_engine_lock_instance_v1"
        static let sql = "SELECT \(InstanceRow.columns) FROM engine_instances i WHERE i.id = $1::uuid FOR UPDATE"
        typealias Row = (String, Int, String, Int64, Int64, String, String, String)

        var id: UUID

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}

extension InstanceRow {
    /// The row as a query returns it, with context and snapshot as JSON text.
    init(id: UUID, workflowID: String, workflowVersion: Int, state: String, version: Int64, stateEntry: Int64,
         contextJSON: String, snapshotJSON: String, historyHash: String) throws {
        let decoder = JSONDecoder()
        self.init(id: id, workflowID: workflowID, workflowVersion: workflowVersion, state: state, version: version, stateEntry: stateEntry,
                  context: try decoder.decode([String: JSONValue].self, from: Data(contextJSON.utf8)),
                  snapshot: try decoder.decode(InstanceSnapshot.self, from: Data(snapshotJSON.utf8)),
                  historyHash: historyHash)
    }
}
