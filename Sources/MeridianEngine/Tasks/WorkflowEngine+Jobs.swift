import Foundation
import Logging
import MeridianQueue
import MeridianWorkflow
import PostgresNIO
import MeridianPostgres

extension WorkflowEngine {
    /// The queue handlers that run this engine's queued tasks (``Configuration/tasks``) and its
    /// timers: register them with a `QueueWorker` serving ``Configuration/queue``.
    public func jobHandlers() -> JobHandlers {
        jobHandlers(tasks: configuration.tasks)
    }

    /// The queue handlers that run the queued handlers of `tasks` and this engine's timers.
    ///
    /// A task's result fires its event with `job:ID` as idempotency key, so a job retried
    /// after its event was fired (a crash before the queue heard it finished) has no second
    /// effect. A timer fires only if the instance is still in the stay in the state that set it.
    public func jobHandlers(tasks: TaskHandlers) -> JobHandlers {
        var handlers = JobHandlers()
        for name in tasks.names {
            guard let handler = tasks.handler(for: name) else { continue }
            handlers.register(EngineJobs.taskKind(name)) { job, logger in
                try await self.runTask(job, handler: handler, logger: logger)
            }
        }
        handlers.register(EngineJobs.timerKind) { job, _ in
            _ = try await self.runTimer(job)
        }
        return handlers
    }

    /// Runs one claimed task job; an error fails the attempt, and on the last attempt opens an incident.
    func runTask(_ job: ClaimedJob, handler: TaskHandlers.Handler, logger: Logger) async throws {
        let payload = try job.payload.decode(EngineJobs.TaskPayload.self)
        var logger = logger
        logger[metadataKey: "instance.id"] = "\(payload.instance.uuidString.lowercased())"
        logger[metadataKey: "job.id"] = "\(job.id)"
        do {
            let current = try await taskView(of: payload.instance)
            let input = TaskInput(jobID: job.id.rawValue, attempt: Int(job.attempt), maxAttempts: Int(job.maxAttempts),
                                  instanceID: payload.instance, workflowID: current.workflow, taskState: payload.state,
                                  currentState: current.state, task: payload.task, context: current.context)
            let result = try await handler(input, logger)
            guard let event = result.event else { return }
            let outcome = try await fire(FireRequest(
                instanceID: payload.instance, event: event, data: result.data, actor: .system("task:\(payload.task)"),
                idempotencyKey: "job:\(job.id.rawValue)", contextChanges: result.contextChanges))
            if outcome.status != .applied {
                logger.notice("task result not applied", metadata: ["event": "\(event)", "reason": "\(outcome.message)"])
            }
        } catch {
            if job.isLastAttempt {
                try await openIncident(job: job, payload: payload, error: error)
            }
            throw error
        }
    }

    /// What a task handler sees of its instance, read without a lock (the step that applies
    /// the result locks and decides against the state as it is then).
    private func taskView(of id: UUID) async throws -> (workflow: String, state: String, context: [String: JSONValue]) {
        var found: TaskViewStatement.Row?
        for try await row in try await client.execute(TaskViewStatement(id: id), logger: logger) { found = row }
        guard let found else {
            throw EngineError(.notFound, "no instance has the id \(id.uuidString.lowercased())")
        }
        let (workflow, state, context) = found
        return (workflow, state, try JSONDecoder().decode([String: JSONValue].self, from: Data(context.utf8)))
    }

    /// Runs one claimed timer job: fires its event if the instance is still in that stay.
    func runTimer(_ job: ClaimedJob) async throws -> FireOutcome {
        let payload = try job.payload.decode(EngineJobs.TimerPayload.self)
        return try await client.transaction(logger: logger) { connection in
            try await fire(FireRequest(instanceID: payload.instance, event: payload.event, actor: .system("timer"),
                                       idempotencyKey: "job:\(job.id.rawValue)"),
                           requiredStateEntry: payload.stateEntry, on: connection)
        }
    }

    /// What a task sees of its instance, prepared once per connection (every task reads it).
    struct TaskViewStatement: PostgresPreparedStatement {
        static let name = "meridian_engine_task_view_v1"
        static let sql = "SELECT workflow_id, state, context::text FROM engine_instances WHERE id = $1::uuid"
        typealias Row = (String, String, String)

        var id: UUID

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
