import Foundation
import Logging
import MeridianWorkflow
import PostgresNIO

/// An instance that waits for people: what they may do, since when, and until when.
public struct WaitingWork: Sendable, Hashable, Codable {
    public var instanceID: UUID
    public var workflowID: String
    public var workflowVersion: Int
    public var state: String
    public var stateDescription: String?
    /// The public step the state shows as, when the definition labels it (`public-step`).
    public var publicStep: String?
    /// When the instance entered the state it waits in.
    public var since: Date
    /// The earliest timer still pending in this stay (a reminder, an escalation), if any.
    public var deadline: Date?
    public var deadlineEvent: String?
    public var actions: [OpenAction]
    public var context: [String: JSONValue]
}

extension WorkflowEngine {
    /// The instances that wait for people holding `roles` (all people when `nil`), oldest
    /// stay first: the inbox, and "who acts next" on a status page.
    ///
    /// With `actorID`, votes that person may not cast are left out (see
    /// `WorkflowDefinition.openActions`). With `instances`, only those are looked at (an
    /// official's inbox reads her country's exchanges, not every one). Final instances wait
    /// for nobody.
    public func waitingWork(roles: Set<String>?, actorID: String? = nil, workflow: String? = nil, instances: [UUID]? = nil) async throws -> [WaitingWork] {
        let logger = self.logger
        return try await client.withConnection { connection in
            // The earliest pending timer of each instance's current stay, one index probe each
            // (queue_jobs_workflow_timers, migration 0009).
            let rows = try await connection.query("""
                SELECT i.id, i.workflow_id, i.workflow_version, i.state, i.context::text, i.snapshot::text, t.run_at, t.event
                FROM engine_instances i
                LEFT JOIN LATERAL (
                    SELECT j.run_at, j.payload->>'event' AS event FROM queue_jobs j
                    WHERE j.kind = 'workflow-timer' AND (j.payload->>'instance')::uuid = i.id
                      AND (j.payload->>'stateEntry')::bigint = i.state_entry
                    ORDER BY j.run_at LIMIT 1
                ) t ON true
                WHERE NOT i.is_final
                  AND (\(workflow)::text IS NULL OR i.workflow_id = \(workflow))
                  AND (\(instances)::uuid[] IS NULL OR i.id = ANY(\(instances)::uuid[]))
                """, logger: logger).collect()
            var work: [WaitingWork] = []
            for row in rows {
                let (id, workflowID, version, state, contextText, snapshotText, deadline, deadlineEvent) =
                    try row.decode((UUID, String, Int, String, String, String, Date?, String?).self)
                let definition = try await definition(workflowID, version: version, on: connection)
                let snapshot = try JSONDecoder().decode(InstanceSnapshot.self, from: Data(snapshotText.utf8))
                let actions = definition.openActions(in: snapshot, roles: roles, actorID: actorID)
                guard !actions.isEmpty else { continue }
                work.append(WaitingWork(instanceID: id, workflowID: workflowID, workflowVersion: version, state: state,
                                        stateDescription: definition.state(state)?.description,
                                        publicStep: definition.state(state)?.publicStep, since: snapshot.enteredAt,
                                        deadline: deadline, deadlineEvent: deadlineEvent, actions: actions,
                                        context: try JSONValue.parseObject(contextText, what: "the stored context")))
            }
            return work.sorted { ($0.since, $0.instanceID.uuidString) < ($1.since, $1.instanceID.uuidString) }
        }
    }
}
