import Foundation
import MeridianWorkflow

/// An instance as stored: where it is, on which definition version, after how many steps.
public struct InstanceRecord: Sendable, Hashable, Codable {
    public var id: UUID
    public var workflowID: String
    /// The definition version the instance is pinned to.
    public var workflowVersion: Int
    public var state: String
    /// The number of steps taken so far (= history entries); bumped by every step.
    public var version: Int64
    /// How many times the instance entered a state; timers carry it to tell stale ones.
    public var stateEntry: Int64
    public var isFinal: Bool
    /// The JSON context (canonical text).
    public var context: String
    /// The hash of the latest history entry.
    public var historyHash: String
    public var createdAt: Date
    public var updatedAt: Date
    /// Open incidents (tasks whose attempts ran out).
    public var openIncidents: Int
}

/// An event to fire into an instance.
public struct FireRequest: Sendable {
    public var instanceID: UUID
    public var event: String
    /// The event's data (a JSON object), which guards and the history see.
    public var data: [String: JSONValue]
    public var actor: WorkflowActor
    /// Firing again with the same key returns the first outcome and has no second effect.
    public var idempotencyKey: String?
    /// Values merged into the context in the same step (a task's result).
    public var contextChanges: [String: JSONValue]

    public init(instanceID: UUID, event: String, data: [String: JSONValue] = [:], actor: WorkflowActor,
                idempotencyKey: String? = nil, contextChanges: [String: JSONValue] = [:]) {
        self.instanceID = instanceID
        self.event = event
        self.data = data
        self.actor = actor
        self.idempotencyKey = idempotencyKey
        self.contextChanges = contextChanges
    }
}

/// What firing an event did.
public struct FireOutcome: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// The step was taken: state, history and effects are stored.
        case applied
        /// The state machine refused the event; nothing changed.
        case rejected
        /// A timer or task result for a state the instance has since left; nothing changed.
        case stale
    }

    public var status: Status
    public var instanceID: UUID
    public var event: String
    /// The state before and after (equal unless the instance moved).
    public var from: String
    public var to: String
    /// The instance's version after the event.
    public var version: Int64
    /// For people: "screening → matching on 'accept'", or the machine's reason.
    public var message: String
    /// The machine's rejection code (`role-missing`, `already-voted`, …).
    public var rejectionCode: String?
    /// `true` when this is the stored first outcome of an idempotency key fired again.
    public var replayed: Bool
}
