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
        var bindings = PostgresBindings(capacity: Parameter.count)
        for parameter in Parameter.allCases {
            switch parameter {
            case .state: bindings.append(state)
            case .version: bindings.append(record.seq)
            case .stateEntry: bindings.append(stateEntry)
            case .isFinal: bindings.append(isFinal)
            case .context: bindings.append(contextText)
            case .snapshot: bindings.append(snapshotText)
            case .hash: bindings.append(record.hash)
            case .at: bindings.append(at)
            case .instanceID: bindings.append(instance.id)
            case .readVersion: bindings.append(instance.version)
            case .workflowVersion: bindings.append(Int64(record.workflowVersion))
            case .event: bindings.append(record.event)
            case .takenEvent: bindings.append(record.takenEvent)
            case .actorID: bindings.append(record.actorID)
            case .actorKind: bindings.append(record.actorKind.rawValue)
            case .actorRoles: bindings.append(record.actorRoles)
            case .fromState: bindings.append(record.from)
            case .toState: bindings.append(record.to)
            case .occurredAtMicroseconds: bindings.append(Int64(at.microsecondsSince1970))
            case .detail: bindings.append(record.detail)
            case .payload: bindings.append(record.payload)
            case .vote: bindings.append(record.vote)
            case .idempotencyKey: bindings.append(record.idempotencyKey)
            case .previousHash: bindings.append(record.previousHash)
            case .votedStateEntry: bindings.append(instance.stateEntry)
            case .approval: bindings.append(vote?.approval)
            case .voterID: bindings.append(vote?.actorID)
            case .decision: bindings.append(vote?.decision.rawValue)
            case .outcomeEvent: bindings.append(outcome.event)
            case .outcome: bindings.append(outcomeText)
            case .key: bindings.append(key)
            case .jobs: jobs.append(to: &bindings)
            }
        }
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

    /// The statement's parameters in the order they are bound: each one's number (`$N`) is its
    /// position here and its SQL type is named once, so the SQL refers to parameters by name
    /// and a column cannot get another column's number. `jobs` is the first of
    /// ``QueueAddJobs/parameterCount`` arrays and must stay last.
    enum Parameter: Int, CaseIterable, CustomStringConvertible {
        case state = 1, version, stateEntry, isFinal, context, snapshot, hash, at, instanceID, readVersion
        case workflowVersion, event, takenEvent, actorID, actorKind, actorRoles, fromState, toState, occurredAtMicroseconds
        case detail, payload, vote, idempotencyKey, previousHash
        case votedStateEntry, approval, voterID, decision
        case outcomeEvent, outcome, key
        case jobs

        /// How many values a step binds.
        static let count = allCases.count - 1 + QueueAddJobs.parameterCount

        /// The type every parameter is cast to: the one its Swift value is sent as.
        var sqlType: String {
            switch self {
            case .version, .stateEntry, .readVersion, .workflowVersion, .occurredAtMicroseconds, .votedStateEntry: "int8"
            case .isFinal: "bool"
            case .at: "timestamptz"
            case .instanceID: "uuid"
            case .jobs: "text[]"
            default: "text"
            }
        }

        /// `$N::type`, as the SQL uses it.
        var description: String { "$\(rawValue)::\(sqlType)" }
    }

    /// The step's statement, prepared once per connection: every step runs it, and parsing
    /// and planning its five parts cost more than running them. Every parameter is cast to
    /// the type its Swift value is sent as (text, int8, bool, timestamptz, uuid).
    struct Statement: PostgresPreparedStatement {
        static let name = "meridian_engine_step_write_v2"
        static let sql = """
            WITH updated AS (
                UPDATE engine_instances
                SET state = \(P.state), version = \(P.version), state_entry = \(P.stateEntry), is_final = \(P.isFinal),
                    context = \(P.context)::jsonb, snapshot = \(P.snapshot)::jsonb, history_hash = \(P.hash), updated_at = \(P.at)
                WHERE id = \(P.instanceID) AND version = \(P.readVersion)
                RETURNING id
            ), history AS (
                INSERT INTO engine_history (instance_id, seq, workflow_version, event, taken_event, actor_id, actor_kind, actor_roles,
                                            from_state, to_state, occurred_at_us, detail, payload, vote, idempotency_key, previous_hash, hash)
                SELECT id, \(P.version), \(P.workflowVersion), \(P.event), \(P.takenEvent), \(P.actorID), \(P.actorKind), \(P.actorRoles),
                       \(P.fromState), \(P.toState), \(P.occurredAtMicroseconds), \(P.detail), \(P.payload), \(P.vote),
                       \(P.idempotencyKey), \(P.previousHash), \(P.hash)
                FROM updated
            ), votes AS (
                INSERT INTO engine_votes (instance_id, state_entry, approval, actor_id, decision, history_seq, voted_at)
                SELECT id, \(P.votedStateEntry), \(P.approval), \(P.voterID), \(P.decision), \(P.version), \(P.at)
                FROM updated WHERE \(P.approval) IS NOT NULL
            ), keys AS (
                INSERT INTO engine_event_keys (instance_id, key, event, outcome)
                SELECT id, \(P.key), \(P.outcomeEvent), \(P.outcome)::jsonb FROM updated WHERE \(P.key) IS NOT NULL
            ), jobs AS (
                -- In the select list, the function runs once per updated row: never when the
                -- version check failed (a join would leave the order to the planner).
                SELECT \(QueueAddJobs.call(firstParameter: P.jobs.rawValue)) AS job FROM updated WHERE cardinality(\(P.jobs)) > 0
            )
            -- A read-only CTE runs only if read: counting the jobs is what enqueues them.
            SELECT (SELECT count(*) FROM updated), (SELECT count(*) FROM jobs)
            """
        private typealias P = Parameter
        typealias Row = (moved: Int64, jobs: Int64)

        var bindings: PostgresBindings

        func makeBindings() throws -> PostgresBindings { bindings }
        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (moved, jobs) = try row.decode((Int64, Int64).self)
            return (moved, jobs)
        }
    }
}
