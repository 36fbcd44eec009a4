/// A state of a workflow: what starts on entry, which timers run, what it waits for.
public struct StateDefinition: Sendable, Hashable {
    public var id: String
    /// A final state ends the instance: it has no transitions, timers or approvals.
    public var isFinal: Bool
    public var description: String?
    /// The step of the public status bar this state shows as (`public-step`; one of
    /// ``StateDefinition/publicSteps``): internal states such as escalations, held payments and
    /// overdue reports name the step people know, so portals never show them raw.
    public var publicStep: String?
    public var entryTasks: [TaskSpec]
    public var timers: [TimerDefinition]
    public var approvals: [ApprovalDefinition]
    public var transitions: [TransitionDefinition]
    public var positions: SourcePositions

    public init(
        id: String, isFinal: Bool = false, description: String? = nil, publicStep: String? = nil, entryTasks: [TaskSpec] = [],
        timers: [TimerDefinition] = [], approvals: [ApprovalDefinition] = [],
        transitions: [TransitionDefinition] = [], positions: SourcePositions = .none
    ) {
        self.id = id
        self.isFinal = isFinal
        self.description = description
        self.publicStep = publicStep
        self.entryTasks = entryTasks
        self.timers = timers
        self.approvals = approvals
        self.transitions = transitions
        self.positions = positions
    }

    /// The public steps a state may name, in the order the status bar shows them: the steps
    /// of issue 14's portal, the same for every workflow so that officials read one bar.
    public static let publicSteps = [
        "request", "screening", "matching", "partner", "plan", "funding", "payment", "implementation", "results", "closed",
    ]

    /// The states a transition of this one may lead to (internal transitions stay here).
    public var successors: [String] {
        transitions.compactMap(\.target)
    }

    /// Whether the state waits for a decision by a person (and so needs a timer).
    public var waitsForPerson: Bool {
        !approvals.isEmpty || transitions.contains(where: \.waitsForPerson)
    }
}
