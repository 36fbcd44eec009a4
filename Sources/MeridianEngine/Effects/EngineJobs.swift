import Foundation
import MeridianQueue

/// The payloads of the jobs the engine puts on the queue.
///
/// Both carry the instance and the state entry they belong to: the instance must still be in
/// that very entry of the state (not merely a state of the same name, re-entered since) for a
/// timer to fire; a task's result is fired with its job id as idempotency key.
enum EngineJobs {
    /// The job kind of a timer.
    static let timerKind: JobKind = "workflow-timer"

    /// The job kind of a task: one kind per task, so a worker claims only tasks it has a
    /// handler for.
    static func taskKind(_ task: String) -> JobKind { JobKind("workflow-task:\(task)") }

    static func taskName(of kind: JobKind) -> String? {
        let prefix = "workflow-task:"
        return kind.rawValue.hasPrefix(prefix) ? String(kind.rawValue.dropFirst(prefix.count)) : nil
    }

    struct TaskPayload: Codable {
        var instance: UUID
        var task: String
        var state: String
        var stateEntry: Int64
    }

    struct TimerPayload: Codable {
        var instance: UUID
        var timer: String
        var event: String
        var state: String
        var stateEntry: Int64
        /// Microseconds since 1970.
        var dueUs: Int64
    }
}
