/// `<on event=…>`: what happens when an event arrives in a state.
///
/// With a `target` the instance leaves the state (its timers are cancelled) and enters the
/// target (its entry tasks and timers start). Without one the transition is internal: the
/// instance stays, its timers keep running, and only the transition's own tasks run — the way
/// reminders are written.
public struct TransitionDefinition: Sendable, Hashable {
    public var event: String
    public var target: String?
    /// The role a person must hold to fire the event; `nil` means only the system (a task
    /// result, a timer, an approval) may fire it.
    public var role: String?
    /// All must be true for the transition to be taken.
    public var guards: [GuardReference]
    /// Tasks enqueued when the transition is taken.
    public var tasks: [TaskSpec]
    public var positions: SourcePositions

    public init(
        event: String, target: String? = nil, role: String? = nil,
        guards: [GuardReference] = [], tasks: [TaskSpec] = [], positions: SourcePositions = .none
    ) {
        self.event = event
        self.target = target
        self.role = role
        self.guards = guards
        self.tasks = tasks
        self.positions = positions
    }

    /// Whether a person (rather than the system) fires this transition.
    public var waitsForPerson: Bool { role != nil }
}
