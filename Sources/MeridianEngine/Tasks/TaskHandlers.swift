import Foundation
import Logging

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

/// The Swift code behind the task names definitions use, by name.
///
/// A handler throws to fail the attempt: the queue retries it with backoff, and after the
/// last attempt the instance shows an incident.
public struct TaskHandlers: Sendable {
    public typealias Handler = @Sendable (TaskInput, Logger) async throws -> TaskResult

    private var handlers: [String: Handler] = [:]

    public init() {}

    public mutating func register(_ task: String, _ handler: @escaping Handler) {
        handlers[task] = handler
    }

    /// The registered task names, sorted.
    public var names: [String] { handlers.keys.sorted() }

    public func handler(for task: String) -> Handler? { handlers[task] }
}
