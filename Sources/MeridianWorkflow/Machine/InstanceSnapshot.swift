import MeridianCodes

import Foundation

/// What the step function knows of an instance: where it is, since when, and the facts the
/// guards and approval rules need. The engine loads it from the database; the step function
/// only reads it and returns the next one.
public struct InstanceSnapshot: Sendable, Hashable, Codable {
    /// The current state's id.
    public var state: String
    /// When the instance entered the current state (timers count from here).
    public var enteredAt: Date
    /// Values guards read, and amounts approvals compare.
    public var context: InstanceContext
    /// Votes cast in the current state; cleared when the instance leaves it.
    public var votes: [ApprovalVote]
    /// Event name → ids of the people who fired it at any time in this instance
    /// (for separation of duties).
    public var firedBy: [String: Set<String>]

    public init(state: String, enteredAt: Date, context: InstanceContext = InstanceContext(), votes: [ApprovalVote] = [], firedBy: [String: Set<String>] = [:]) {
        self.state = state
        self.enteredAt = enteredAt
        self.context = context
        self.votes = votes
        self.firedBy = firedBy
    }

    /// A new instance of `definition`, in its initial state.
    public static func start(_ definition: WorkflowDefinition, at now: Date, context: InstanceContext = InstanceContext()) -> InstanceSnapshot {
        InstanceSnapshot(state: definition.initial, enteredAt: now, context: context)
    }
}

/// Facts about an instance that guards and approvals use.
public struct InstanceContext: Sendable, Hashable, Codable {
    public var values: [String: String]
    /// Amounts by key (`grant` …), for quorums that grow with the amount.
    public var amounts: [String: Money]

    public init(values: [String: String] = [:], amounts: [String: Money] = [:]) {
        self.values = values
        self.amounts = amounts
    }
}

/// One person's vote on an approval.
public struct ApprovalVote: Sendable, Hashable, Codable {
    public enum Decision: String, Sendable, Hashable, Codable {
        case approve
        case reject
    }

    public var approval: String
    public var actorID: String
    public var decision: Decision
    public var at: Date

    public init(approval: String, actorID: String, decision: Decision, at: Date) {
        self.approval = approval
        self.actorID = actorID
        self.decision = decision
        self.at = at
    }
}
