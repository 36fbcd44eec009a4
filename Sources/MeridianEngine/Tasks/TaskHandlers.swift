import Foundation
import Logging
import MeridianWorkflow
import PostgresNIO

/// What a task handler gets: the job and the instance it works for.
public struct TaskInput: Sendable {
    /// The queue job's id: the idempotency key of the event the result fires.
    public var jobID: Int64
    /// This attempt's number (from 1) and the most the task gets.
    public var attempt: Int
    public var maxAttempts: Int
    public var instanceID: UUID
    public var workflowID: String
    /// The state the task belongs to, and the state the instance is in now.
    public var taskState: String
    public var currentState: String
    public var task: String
    /// The instance's context when the task started.
    public var context: [String: JSONValue]
    /// When the task runs, by the engine's clock (``WorkflowEngine/Configuration/clock``):
    /// domain code dates what it writes with this, never with the wall clock, so tests can move time.
    public var now: Date
}

/// What a task handler returns: the event to fire back into the instance, if any, with its
/// data and the context values to merge in the same step.
public struct TaskResult: Sendable {
    public var event: String?
    public var data: [String: JSONValue]
    public var contextChanges: [String: JSONValue]

    public init(event: String?, data: [String: JSONValue] = [:], contextChanges: [String: JSONValue] = [:]) {
        self.event = event
        self.data = data
        self.contextChanges = contextChanges
    }

    /// Fire `event` (with `data`, merging `context` into the instance's context).
    public static func fire(_ event: String, data: [String: JSONValue] = [:], context: [String: JSONValue] = [:]) -> TaskResult {
        TaskResult(event: event, data: data, contextChanges: context)
    }

    /// The task did its work and fires nothing (a notification, a reminder).
    public static let done = TaskResult(event: nil)
}

/// What an in-step task handler gets: the step that entered the task, already written but not
/// yet committed.
public struct InStepTaskInput: Sendable {
    public var instanceID: UUID
    public var workflowID: String
    public var workflowVersion: Int
    public var task: String
    /// The state the task belongs to (the state the step entered, or the one it stayed in).
    public var state: String
    /// The event the step took (after approvals: `on-approved`, not the last vote), and the
    /// event that was fired with its data.
    public var takenEvent: String
    public var firedEvent: String
    public var data: [String: JSONValue]
    /// Who fired the event.
    public var actor: WorkflowActor
    /// The instance's version after the step, and its context.
    public var version: Int64
    public var context: [String: JSONValue]
    /// When the step happened, by the engine's clock: what the task writes (a ledger posting's
    /// value date, say) is dated with this, as the step's history entry is.
    public var occurredAt: Date
}

/// The Swift code behind the task names definitions use, by name.
///
/// A **queued** handler runs later, from a queue job, outside the step: it throws to fail the
/// attempt (the queue retries it with backoff, and after the last attempt the instance shows
/// an incident), and its result is fired back into the instance as its own step.
///
/// An **in-step** handler runs inside the transaction of the step that entered the task, on
/// the step's connection: its writes commit with the step or not at all, and when it throws
/// the whole step is rolled back and the error reaches whoever fired the event. Use it for
/// effects that decide whether the step may happen at all — committing money from a fund that
/// may not hold enough — and keep it short: it holds the instance's row lock.
public struct TaskHandlers: Sendable {
    public typealias Handler = @Sendable (TaskInput, Logger) async throws -> TaskResult
    public typealias InStepHandler = @Sendable (InStepTaskInput, PostgresConnection, Logger) async throws -> Void

    private var handlers: [String: Handler] = [:]
    private var inStepHandlers: [String: InStepHandler] = [:]

    public init() {}

    /// Registers a queued handler; replaces an in-step one of the same name.
    public mutating func register(_ task: String, _ handler: @escaping Handler) {
        inStepHandlers[task] = nil
        handlers[task] = handler
    }

    /// Registers an in-step handler; replaces a queued one of the same name.
    public mutating func registerInStep(_ task: String, _ handler: @escaping InStepHandler) {
        handlers[task] = nil
        inStepHandlers[task] = handler
    }

    /// Adds every handler of `other` (its handlers win over ours of the same name).
    public mutating func merge(_ other: TaskHandlers) {
        for (name, handler) in other.handlers { register(name, handler) }
        for (name, handler) in other.inStepHandlers { registerInStep(name, handler) }
    }

    /// The names of the queued handlers, sorted.
    public var names: [String] { handlers.keys.sorted() }

    /// The names of the in-step handlers, sorted.
    public var inStepNames: [String] { inStepHandlers.keys.sorted() }

    public func handler(for task: String) -> Handler? { handlers[task] }

    public func inStepHandler(for task: String) -> InStepHandler? { inStepHandlers[task] }
}
