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
    /// effect; its handler does not even run again. A timer fires only if the instance is still in the stay in the state that set it.
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
    ///
    /// One reading of the instance serves both the handler's view and the step's first try
    /// (``fireOptimistically(_:requiredStateEntry:reading:)``): a task-driven step is two
    /// round trips. A job whose result was applied already (a retry after the queue missed
    /// its completion) finds its key in that reading and is not run again.
    func runTask(_ job: ClaimedJob, handler: TaskHandlers.Handler, logger: Logger) async throws {
        let payload = try job.payload.decode(EngineJobs.TaskPayload.self)
        var logger = logger
        logger[metadataKey: "instance.id"] = "\(payload.instance.uuidString.lowercased())"
        logger[metadataKey: "job.id"] = "\(job.id)"
        let key = "job:\(job.id.rawValue)"
        do {
            let reading = try await InstanceReading.read(payload.instance, key: key, on: client, logger: self.logger)
            if let first = reading.firstOutcome {
                logger.notice("task result already decided; not running it again", metadata: [
                    "event": "\(first.event)", "status": "\(first.outcome.status.rawValue)",
                ])
                return
            }
            let current = reading.instance
            let input = TaskInput(jobID: job.id.rawValue, attempt: Int(job.attempt), maxAttempts: Int(job.maxAttempts),
                                  instanceID: payload.instance, workflowID: current.workflowID, taskState: payload.state,
                                  currentState: current.state, task: payload.task, context: current.context, now: now())
            let result = try await handler(input, logger)
            guard let event = result.event else { return }
            let outcome = try await fireOptimistically(
                FireRequest(instanceID: payload.instance, event: event, data: result.data, actor: .system("task:\(payload.task)"),
                            idempotencyKey: key, contextChanges: result.contextChanges),
                requiredStateEntry: nil, reading: reading)
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

    /// Runs one claimed timer job: fires its event if the instance is still in that stay.
    func runTimer(_ job: ClaimedJob) async throws -> FireOutcome {
        let payload = try job.payload.decode(EngineJobs.TimerPayload.self)
        return try await fireOptimistically(
            FireRequest(instanceID: payload.instance, event: payload.event, actor: .system("timer"), idempotencyKey: "job:\(job.id.rawValue)"),
            requiredStateEntry: payload.stateEntry)
    }
}
