import Foundation
import Logging
import MeridianQueue
import MeridianWorkflow
import PostgresNIO

/// Enqueues a step's tasks and timers on the queue, on the step's own connection and so
/// inside its transaction: they commit with the state change or not at all.
///
/// Timers belong to `state`, the state entered by the step, at entry number `stateEntry`.
struct EffectWriter {
    let queue: QueueName
    let logger: Logger

    func enqueue(
        tasks: [TaskRequest], timers: [TimerRequest], instance: UUID, state: String, stateEntry: Int64,
        on connection: PostgresConnection
    ) async throws {
        let jobs = try Self.jobs(tasks: tasks, timers: timers, queue: queue, instance: instance, state: state, stateEntry: stateEntry)
        guard !jobs.isEmpty else { return }
        _ = try await QueueStore(logger: logger).enqueue(jobs, on: connection)
    }

    /// The queue jobs of `tasks` and `timers`: what ``enqueue(tasks:timers:instance:state:stateEntry:on:)``
    /// inserts, and what a fired step's ``StepWrite`` inserts in its own statement.
    static func jobs(
        tasks: [TaskRequest], timers: [TimerRequest], queue: QueueName, instance: UUID, state: String, stateEntry: Int64
    ) throws -> [NewJob] {
        var jobs: [NewJob] = []
        for task in tasks {
            let payload = EngineJobs.TaskPayload(instance: instance, task: task.name, state: task.state, stateEntry: stateEntry)
            jobs.append(NewJob(kind: EngineJobs.taskKind(task.name), payload: try JobPayload(payload), queue: queue,
                               maxAttempts: Int32(clamping: max(1, task.maxAttempts))))
        }
        for timer in timers {
            let payload = EngineJobs.TimerPayload(instance: instance, timer: timer.id.rawValue, event: timer.event, state: state,
                                                  stateEntry: stateEntry, dueUs: timer.due.microsecondsSince1970)
            // One step sets each timer once (the step is one transaction), so no unique key is
            // needed; firing is retried if it fails for a database reason.
            jobs.append(NewJob(kind: EngineJobs.timerKind, payload: try JobPayload(payload), queue: queue, runAt: timer.due, maxAttempts: 10))
        }
        return jobs
    }
}
