import MeridianCodes
import Foundation
import Logging
import MeridianQueue
import PostgresNIO
import MeridianPostgres

extension WorkflowEngine {
    /// Records that a task's last attempt failed (once per job, however often this is called).
    func openIncident(job: ClaimedJob, payload: EngineJobs.TaskPayload, error: any Error) async throws {
        let message = (error as? EngineError)?.description ?? String(describing: error)
        try await client.query("""
            INSERT INTO engine_incidents (instance_id, state, task, job_id, attempts, last_error)
            VALUES (\(payload.instance), \(payload.state), \(payload.task), \(job.id.rawValue), \(Int(job.attempt)), \(message))
            ON CONFLICT (job_id) WHERE resolved_at IS NULL DO NOTHING
            """, logger: logger)
        logger.error("task attempts exhausted: incident opened", metadata: [
            "instance.id": "\(payload.instance.uuidString.lowercased())", "job.id": "\(job.id)", "task": "\(payload.task)",
        ])
    }

    /// Open incidents, oldest first (of one instance, or all).
    public func incidents(instance: UUID? = nil) async throws -> [Incident] {
        let rows = try await client.query("""
            SELECT n.id, n.instance_id, i.workflow_id, n.state, n.task, n.job_id, n.attempts, n.last_error, n.opened_at
            FROM engine_incidents n JOIN engine_instances i ON i.id = n.instance_id
            WHERE n.resolved_at IS NULL AND (\(instance)::uuid IS NULL OR n.instance_id = \(instance))
            ORDER BY n.opened_at, n.id
            """, logger: logger).collect()
        return try rows.map { row in
            let (id, instance, workflow, state, task, job, attempts, error, opened) =
                try row.decode((Int64, UUID, String, String, String, Int64, Int, String, Date).self)
            return Incident(id: id, instanceID: instance, workflowID: workflow, state: state, task: task, jobID: job,
                            attempts: attempts, lastError: error, openedAt: opened)
        }
    }

    /// Puts the failed tasks of an instance's open incidents back on the queue with fresh
    /// attempts, and closes the incidents — in one transaction.
    @discardableResult
    public func retryIncidents(of instance: UUID) async throws -> [Incident] {
        let open = try await incidents(instance: instance)
        guard !open.isEmpty else {
            _ = try await self.instance(instance)
            throw EngineError(.notFound, "instance \(instance.uuidString.lowercased()) has no open incident", hint: "see `meridian instance incidents`")
        }
        let logger = self.logger
        try await client.transaction(logger: logger) { connection in
            let store = QueueStore(logger: logger)
            for incident in open {
                try await store.retry(JobID(incident.jobID), on: connection)
                try await connection.query("UPDATE engine_incidents SET resolved_at = now() WHERE id = \(incident.id)", logger: logger)
            }
        }
        return open
    }
}
