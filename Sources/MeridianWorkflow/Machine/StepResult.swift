import Foundation

/// The answer of the step function: accepted with its effects, or rejected with a reason.
public enum StepResult: Sendable, Hashable {
    case accepted(StepOutcome)
    case rejected(Rejection)

    public var outcome: StepOutcome? {
        if case .accepted(let outcome) = self { return outcome }
        return nil
    }

    public var rejection: Rejection? {
        if case .rejected(let rejection) = self { return rejection }
        return nil
    }
}

/// Why an event was refused. Nothing of it is to be persisted except, perhaps, an audit line.
public struct Rejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// An opaque code, so new reasons do not break callers.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The current state takes no such event (or the instance has ended).
        public static let eventNotAllowed = Code(rawValue: "event-not-allowed")
        /// The actor lacks the role the transition or approval needs.
        public static let roleMissing = Code(rawValue: "role-missing")
        /// Only the system (a task, a timer, an approval) fires this event, not a person.
        public static let systemOnly = Code(rawValue: "system-only")
        /// Every transition the event could take has a guard that is false.
        public static let guardFalse = Code(rawValue: "guard-false")
        /// The approver fired an event the approval must be distinct from (separation of duties).
        public static let approverNotDistinct = Code(rawValue: "approver-not-distinct")
        /// The approver already voted on this approval.
        public static let alreadyVoted = Code(rawValue: "already-voted")
        /// The snapshot's state is not in the definition (a wrong version or corrupt data).
        public static let unknownState = Code(rawValue: "unknown-state")
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// What an accepted event does; the engine persists all of it in one transaction.
public struct StepOutcome: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The instance moved to another state (or left and re-entered the same one).
        case transition
        /// The instance stayed; only the transition's tasks run.
        case internalTransition
        /// An approval vote was recorded; the approval still waits for more votes.
        case voteRecorded
    }

    public var kind: Kind
    public var event: String
    /// The event that was finally taken: `event` itself, or the approval's approved/rejected event.
    public var takenEvent: String
    public var from: String
    public var to: String
    /// Whether `to` is a final state: the instance has ended.
    public var isFinal: Bool
    public var tasksToEnqueue: [TaskRequest]
    public var timersToSet: [TimerRequest]
    public var timersToCancel: [TimerID]
    /// The vote recorded by this event, if it was one.
    public var vote: ApprovalVote?
    /// The instance after the event.
    public var snapshot: InstanceSnapshot
    /// The history entry the engine appends.
    public var history: HistoryEntry
    /// A line for people ("approval recorded, waiting for 1 more").
    public var message: String
}

/// A task to enqueue.
public struct TaskRequest: Sendable, Hashable, Codable {
    public var name: String
    public var maxAttempts: Int
    /// The state the task belongs to (its result is only wanted while the instance is there).
    public var state: String

    public init(name: String, maxAttempts: Int, state: String) {
        self.name = name
        self.maxAttempts = maxAttempts
        self.state = state
    }
}

/// Identifies a timer of a state: `state/index/event`. Stable across loads of one definition.
public struct TimerID: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(state: String, index: Int, event: String) { self.rawValue = "\(state)/\(index)/\(event)" }
    public var description: String { rawValue }
}

/// A timer to schedule: fire `event` at `due` if the instance is still in the state.
public struct TimerRequest: Sendable, Hashable, Codable {
    public var id: TimerID
    public var event: String
    public var due: Date

    public init(id: TimerID, event: String, due: Date) {
        self.id = id
        self.event = event
        self.due = due
    }
}

/// The content of one history entry (the engine adds ids and the hash chain).
public struct HistoryEntry: Sendable, Hashable, Codable {
    public var event: String
    public var takenEvent: String
    public var actorID: String
    public var actorKind: WorkflowActor.Kind
    public var from: String
    public var to: String
    public var at: Date
    public var detail: String
}
