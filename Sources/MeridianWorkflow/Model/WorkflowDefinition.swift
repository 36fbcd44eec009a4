/// A parsed workflow definition: an immutable state machine.
///
/// Build one with `WorkflowLoader` (from a file, checked) or in code (tests). Only a
/// definition whose diagnostics hold no errors should be run.
public struct WorkflowDefinition: Sendable, Hashable {
    public var id: String
    public var version: Int
    public var initial: String
    public var description: String?
    public var roles: [RoleDefinition]
    /// States and final states in document order.
    public var states: [StateDefinition]
    public var positions: SourcePositions

    public init(
        id: String, version: Int, initial: String, description: String? = nil,
        roles: [RoleDefinition], states: [StateDefinition], positions: SourcePositions = .none
    ) {
        self.id = id
        self.version = version
        self.initial = initial
        self.description = description
        self.roles = roles
        self.states = states
        self.positions = positions
        var index: [String: Int] = [:]
        for (offset, state) in states.enumerated() where index[state.id] == nil {
            index[state.id] = offset
        }
        self.stateIndex = index
    }

    /// State id → position in `states` (the first one when ids repeat).
    private let stateIndex: [String: Int]

    /// The state with this id.
    public func state(_ id: String) -> StateDefinition? {
        stateIndex[id].map { states[$0] }
    }

    /// Every event the definition mentions: handled by a transition, or fired by a timer or
    /// an approval.
    public var events: Set<String> {
        var events = Set<String>()
        for state in states {
            for transition in state.transitions { events.insert(transition.event) }
            for timer in state.timers { events.insert(timer.event) }
            for approval in state.approvals {
                events.formUnion([approval.approveEvent, approval.rejectEvent, approval.onApproved, approval.onRejected])
            }
        }
        return events
    }
}
