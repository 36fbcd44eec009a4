import Foundation
import Logging
import MeridianWorkflow
import PostgresNIO

/// Everything one accepted step writes to the engine's tables, sent as one statement.
///
/// The instance update carries the optimistic version check; the history entry, the vote and
/// the idempotency key are inserted only from its result, so they exist exactly when the
/// instance moved. One round trip instead of four keeps a step's transaction short.
struct StepWrite {
    var instance: LockedInstance
    var state: String
    var stateEntry: Int64
    var isFinal: Bool
    var context: [String: JSONValue]
    var snapshot: InstanceSnapshot
    var record: HistoryRecord
    var vote: ApprovalVote?
    var key: String?
    var outcome: FireOutcome

    func run(on connection: PostgresConnection, logger: Logger) async throws {
        let encoder = JSONEncoder()
        let snapshotText = String(decoding: try encoder.encode(snapshot), as: UTF8.self)
        let outcomeText = String(decoding: try encoder.encode(outcome), as: UTF8.self)
        let contextText = JSONValue.canonicalText(context)
        let at = record.occurredAt
        let rows = try await connection.query("""
            WITH updated AS (
                UPDATE engine_instances
                SET state = \(state), version = \(record.seq), state_entry = \(stateEntry), is_final = \(isFinal),
                    context = \(contextText)::jsonb, snapshot = \(snapshotText)::jsonb, history_hash = \(record.hash), updated_at = \(at)
                WHERE id = \(instance.id) AND version = \(instance.version)
                RETURNING id
            ), history AS (
                INSERT INTO engine_history (instance_id, seq, workflow_version, event, taken_event, actor_id, actor_kind, actor_roles,
                                            from_state, to_state, occurred_at_us, detail, payload, vote, idempotency_key, previous_hash, hash)
                SELECT id, \(record.seq), \(record.workflowVersion), \(record.event), \(record.takenEvent), \(record.actorID),
                       \(record.actorKind.rawValue), \(record.actorRoles), \(record.from), \(record.to), \(at.microsecondsSince1970),
                       \(record.detail), \(record.payload), \(record.vote), \(record.idempotencyKey), \(record.previousHash), \(record.hash)
                FROM updated
            ), votes AS (
                INSERT INTO engine_votes (instance_id, state_entry, approval, actor_id, decision, history_seq, voted_at)
                SELECT id, \(instance.stateEntry), \(vote?.approval), \(vote?.actorID), \(vote?.decision.rawValue), \(record.seq), \(at)
                FROM updated WHERE \(vote?.approval)::text IS NOT NULL
            ), keys AS (
                INSERT INTO engine_event_keys (instance_id, key, event, outcome)
                SELECT id, \(key), \(outcome.event), \(outcomeText)::jsonb FROM updated WHERE \(key)::text IS NOT NULL
            )
            SELECT count(*) FROM updated
            """, logger: logger).collect()
        guard try rows.first?.decode(Int.self) == 1 else {
            throw EngineError(.concurrentChange, "instance \(instance.id.uuidString.lowercased()) changed while the step ran", hint: "fire the event again")
        }
    }
}
