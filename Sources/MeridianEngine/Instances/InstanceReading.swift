import Foundation
import Logging
import PostgresNIO

/// The instance as one statement saw it, without a lock, and the first outcome of the
/// request's idempotency key if that key was used already: everything an optimistic step
/// decides from (``WorkflowEngine/fireOptimistically(_:requiredStateEntry:reading:)``), and
/// what a task handler sees of its instance.
///
/// Instance and key come from one snapshot. A key recorded after it is found by the write:
/// a step recorded it (the version moved on) or a refusal did (the key's insert conflicts).
struct InstanceReading {
    var instance: InstanceRow
    var firstOutcome: (event: String, outcome: FireOutcome)?

    static func read(_ id: UUID, key: String?, on client: PostgresClient, logger: Logger) async throws -> InstanceReading {
        var found: ReadStatement.Row?
        for try await row in try await client.execute(ReadStatement(id: id, key: key), logger: logger) { found = row }
        guard let row = found else {
            throw EngineError(.notFound, "no instance has the id \(id.uuidString.lowercased())", hint: "see `meridian instance list`")
        }
        let (workflow, workflowVersion, state, version, stateEntry, context, snapshot, hash, keyEvent, keyOutcome) = row
        let instance = try InstanceRow(id: id, workflowID: workflow, workflowVersion: workflowVersion, state: state, version: version,
                                       stateEntry: stateEntry, contextJSON: context, snapshotJSON: snapshot, historyHash: hash)
        guard let keyEvent, let keyOutcome else { return InstanceReading(instance: instance) }
        return InstanceReading(instance: instance, firstOutcome: (keyEvent, try FireOutcome(storedText: keyOutcome)))
    }

    /// The reading, prepared once per connection: every task-driven step starts with it.
    struct ReadStatement: PostgresPreparedStatement {
        static let name = "meridian_engine_read_instance_v1"
        static let sql = """
            SELECT \(InstanceRow.columns), k.event, k.outcome::text
            FROM engine_instances i
            LEFT JOIN engine_event_keys k ON k.instance_id = i.id AND k.key = $2::text
            WHERE i.id = $1::uuid
            """
        typealias Row = (String, Int, String, Int64, Int64, String, String, String, String?, String?)

        var id: UUID
        var key: String?

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(id)
            bindings.append(key)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
