import Foundation
import Logging
import MeridianWorkflow
import PostgresNIO

/// Reads and appends history rows; the table's triggers refuse anything but appends.
enum HistoryStore {
    static func append(_ record: HistoryRecord, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO engine_history (instance_id, seq, workflow_version, event, taken_event, actor_id, actor_kind, actor_roles,
                                        from_state, to_state, occurred_at_us, detail, payload, vote, idempotency_key, previous_hash, hash)
            VALUES (\(record.instanceID), \(record.seq), \(record.workflowVersion), \(record.event), \(record.takenEvent),
                    \(record.actorID), \(record.actorKind.rawValue), \(record.actorRoles), \(record.from), \(record.to),
                    \(record.occurredAt.microsecondsSince1970), \(record.detail), \(record.payload), \(record.vote),
                    \(record.idempotencyKey), \(record.previousHash), \(record.hash))
            """, logger: logger)
    }

    static let columns = """
        instance_id, seq, workflow_version, event, taken_event, actor_id, actor_kind, actor_roles, from_state, to_state,
        occurred_at_us, detail, payload, vote, idempotency_key, previous_hash, hash
        """

    static func record(from row: PostgresRow) throws -> HistoryRecord {
        let (instance, seq, workflowVersion, event, taken, actor, kind, roles, from, to, at, detail, payload, vote, key, previous, hash) =
            try row.decode((UUID, Int64, Int, String, String, String, String, String, String, String, Int64, String, String, String, String?, String, String).self)
        return HistoryRecord(instanceID: instance, seq: seq, workflowVersion: workflowVersion, event: event, takenEvent: taken,
                             actorID: actor, actorKind: kind == "person" ? .person : .system, actorRoles: roles, from: from, to: to,
                             occurredAt: Date(microsecondsSince1970: at), detail: detail, payload: payload, vote: vote,
                             idempotencyKey: key, previousHash: previous, hash: hash)
    }
}
