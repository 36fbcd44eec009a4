/// A state of a workflow: what starts on entry, which timers run, what it waits for.
public struct StateDefinition: Sendable, Hashable {
    public var id: String
    /// A final state ends the instance: it has no transitions, timers or approvals.
    public var isFinal: Bool
    public var description: String?
    public var entryTasks: [TaskSpec]
    public var timers: [TimerDefinition]
    public var approvals: [ApprovalDefinition]
    public var transitions: [TransitionDefinition]
    public var positions: SourcePositions

    public init(
        id: String, isFinal: Bool = false, description: String? = nil, entryTasks: [TaskSpec] = [],
        timers: [TimerDefinition] = [], approvals: [ApprovalDefinition] = [],
        transitions: [TransitionDefinition] = [], positions: SourcePositions = .none
    ) {
        self.id = id
        self.isFinal = isFinal
        self.description = description
        self.entryTasks = entryTasks
        self.timers = timers
        self.approvals = approvals
        self.transitions = transitions
        self.positions = positions
    }

    /// The states a transition of this one may lead to (internal transitions stay here).
    public var successors: [String] {
        transitions.compactMap(\.target)
    }

    /// Whether the state waits for a decision by a person (and so needs a timer).
    public var waitsForPerson: Bool {
        !approvals.isEmpty || transitions.contains(where: \.waitsForPerson)
    }
}
