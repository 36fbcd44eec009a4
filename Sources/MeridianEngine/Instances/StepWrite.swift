import Foundation
import Logging
import MeridianQueue
import MeridianWorkflow
import PostgresNIO

/// Everything one accepted step writes, sent as one statement: the instance, its history
/// entry, the vote, the idempotency key, and the queued tasks and timers of the state it
/// entered (through the queue's `queue_add_jobs`, migration 0010).
///
/// The instance update carries the version check; the other rows are inserted only from its
/// result, so they exist exactly when the instance moved. Inside a transaction under the row
/// lock the check cannot fail; alone it makes the statement an optimistic step of its own
/// (``WorkflowEngine/fireOptimistically(_:requiredStateEntry:reading:)``): written whole if
/// nobody moved the instance since it was read, else not at all.
struct StepWrite {
    var instance: InstanceRow
    var state: String
    var stateEntry: Int64
    var isFinal: Bool
    var context: [String: JSONValue]
    var snapshot: InstanceSnapshot
    var record: HistoryRecord
    var vote: ApprovalVote?
    var key: String?
    var outcome: FireOutcome
    var jobs: QueueAddJobs

    func run(on connection: PostgresConnection, logger: Logger) async throws {
        let snapshotText = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        let outcomeText = try outcome.storedText()
        let contextText = JSONValue.canonicalText(context)
        let at = record.occurredAt
        var bindings = PostgresBindings(capacity: 31 + QueueAddJobs.parameterCount)
        bindings.append(state)                              // $1
        bindings.append(record.seq)                         // $2
        bindings.append(stateEntry)                         // $3
        bindings.append(isFinal)                            // $4
        bindings.append(contextText)                        // $5
        bindings.append(snapshotText)                       // $6
        bindings.append(record.hash)                        // $7
        bindings.append(at)                                 // $8
        bindings.append(instance.id)                        // $9
        bindings.append(instance.version)                   // $10
        bindings.append(Int64(record.workflowVersion))      // $11
        bindings.append(record.event)                       // $12
        bindings.append(record.takenEvent)                  // $13
        bindings.append(record.actorID)                     // $14
        bindings.append(record.actorKind.rawValue)          // $15
        bindings.append(record.actorRoles)                  // $16
        bindings.append(record.from)                        // $17
        bindings.append(record.to)                          // $18
        bindings.append(Int64(at.microsecondsSince1970))    // $19
        bindings.append(record.detail)                      // $20
        bindings.append(record.payload)                     // $21
        bindings.append(record.vote)                        // $22
        bindings.append(record.idempotencyKey)              // $23
        bindings.append(record.previousHash)                // $24
        bindings.append(instance.stateEntry)                // $25
        bindings.append(vote?.approval)                     // $26
        bindings.append(vote?.actorID)                      // $27
        bindings.append(vote?.decision.rawValue)            // $28
        bindings.append(outcome.event)                      // $29
        bindings.append(outcomeText)                        // $30
        bindings.append(key)                                // $31
        jobs.append(to: &bindings)                          // $32…$38
        var rows: [Statement.Row] = []
        for try await row in try await connection.execute(Statement(bindings: bindings), logger: logger) { rows.append(row) }
        guard let row = rows.first, row.moved == 1 else {
            throw EngineError(.concurrentChange, "instance \(instance.id.uuidString.lowercased()) changed while the step ran", hint: "fire the event again")
        }
        guard row.jobs == jobs.jobs.count else {
            throw EngineError(.inconsistent, "the step of instance \(instance.id.uuidString.lowercased()) enqueued \(row.jobs) of its \(jobs.jobs.count) jobs",
                              hint: "a bug in Meridian: report it with `meridian instance history` of the instance")
        }
    }

    /// The step's statement, prepared once per connection: every step runs it, and parsing
    /// and planning its five parts cost more than running them. Every parameter is cast to
    /// the type its Swift value is sent as (text, int8, bool, timestamptz, uuid).
    struct Statement: PostgresPreparedStatement {
        static let name = "meridian_engine_step_write_v2"
        static let sql = """
            WITH updated AS (
                UPDATE engine_instances
                SET state = $1::text, version = $2::int8, state_entry = $3::int8, is_final = $4::bool,
                    context = $5::text::jsonb, snapshot = $6::text::jsonb, history_hash = $7::text, updated_at = $8::timestamptz
                WHERE id = $9::uuid AND version = $10::int8
                RETURNING id
            ), history AS (
                INSERT INTO engine_history (instance_id, seq, workflow_version, event, taken_event, actor_id, actor_kind, actor_roles,
                                            from_state, to_state, occurred_at_us, detail, payload, vote, idempotency_key, previous_hash, hash)
                SELECT id, $2::int8, $11::int8, $12::text, $13::text, $14::text, $15::text, $16::text, $17::text, $18::text, $19::int8,
                       $20::text, $21::text, $22::text, $23::text, $24::text, $7::text
                FROM updated
            ), votes AS (
                INSERT INTO engine_votes (instance_id, state_entry, approval, actor_id, decision, history_seq, voted_at)
                SELECT id, $25::int8, $26::text, $27::text, $28::text, $2::int8, $8::timestamptz
                FROM updated WHERE $26::text IS NOT NULL
            ), keys AS (
                INSERT INTO engine_event_keys (instance_id, key, event, outcome)
                SELECT id, $31::text, $29::text, $30::text::jsonb FROM updated WHERE $31::text IS NOT NULL
            ), jobs AS (
                -- In the select list, the function runs once per updated row: never when the
                -- version check failed (a join would leave the order to the planner).
                SELECT \(QueueAddJobs.call(firstParameter: 32)) AS job FROM updated WHERE cardinality($32::text[]) > 0
            )
            -- A read-only CTE runs only if read: counting the jobs is what enqueues them.
            SELECT (SELECT count(*) FROM updated), (SELECT count(*) FROM jobs)
            """
        typealias Row = (moved: Int64, jobs: Int64)

        var bindings: PostgresBindings

        func makeBindings() throws -> PostgresBindings { bindings }
        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (moved, jobs) = try row.decode((Int64, Int64).self)
            return (moved, jobs)
        }
    }
}
