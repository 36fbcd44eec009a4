import Foundation
import Logging
import MeridianQueue
import MeridianWorkflow
import PostgresNIO

/// What a step leaves behind besides its state and history: the tasks it entered and the
/// timers of the state it entered, all on the step's own connection and so in its transaction.
///
/// Tasks with an in-step handler run here, in the order the definition lists them; the first
/// one that throws aborts the step (the caller's transaction rolls back, and with it what was
/// enqueued). The other tasks and the timers go to the queue.
struct StepEffects {
    /// The step whose effects these are, as in-step handlers see it.
    var instanceID: UUID
    var workflowID: String
    var workflowVersion: Int
    var state: String
    var stateEntry: Int64
    var takenEvent: String
    var firedEvent: String
    var data: [String: JSONValue]
    var actor: WorkflowActor
    var version: Int64
    var context: [String: JSONValue]
    /// The step's time, by the engine's clock.
    var occurredAt: Date

    /// Runs the in-step tasks among `tasks`, then enqueues the others and `timers` (a start;
    /// a fired step's queued work travels in its ``StepWrite`` instead).
    func write(tasks: [TaskRequest], timers: [TimerRequest], engine: WorkflowEngine, on connection: PostgresConnection) async throws {
        let queued = tasks.filter { engine.configuration.tasks.inStepHandler(for: $0.name) == nil }
        try await runInStep(tasks, engine: engine, on: connection)
        try await EffectWriter(queue: QueueName(engine.configuration.queue), logger: engine.logger).enqueue(
            tasks: queued, timers: timers, instance: instanceID, state: state, stateEntry: stateEntry, on: connection)
    }

    /// Runs the tasks among `tasks` that have an in-step handler, in order; the others are
    /// left for the queue.
    func runInStep(_ tasks: [TaskRequest], engine: WorkflowEngine, on connection: PostgresConnection) async throws {
        for task in tasks {
            guard let handler = engine.configuration.tasks.inStepHandler(for: task.name) else { continue }
            var logger = engine.logger
            logger[metadataKey: "instance.id"] = "\(instanceID.uuidString.lowercased())"
            logger[metadataKey: "task"] = "\(task.name)"
            let input = InStepTaskInput(instanceID: instanceID, workflowID: workflowID, workflowVersion: workflowVersion, task: task.name,
                                        state: task.state, takenEvent: takenEvent, firedEvent: firedEvent, data: data, actor: actor,
                                        version: version, context: context, occurredAt: occurredAt)
            try await handler(input, connection, logger)
        }
    }
}
