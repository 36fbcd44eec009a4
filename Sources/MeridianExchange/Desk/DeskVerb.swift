import MeridianWorkflow

/// The program manager's three desk verbs, and the one table that turns a verb into the event
/// it fires in a given state — derived from the workflow definition, not from a list of states.
///
/// Among the actions open to the person now (``WorkflowDefinition/openActions(in:roles:actorID:)``):
/// - `approve`: an approval's approve-event (a vote, e.g. `approve-grant`), else the state's
///   forward decision: a transition to a later, non-final state of the definition
///   (screening → `accept`, match-review → `approve-matches`), or, where the state has no such
///   way on, the one to a final state (results-review → `accept-report` → closed).
/// - `reject`: an approval's reject-event (`reject-grant`), else — where the state has a way on —
///   a transition to a final state (`decline`), else one back to an earlier state
///   (`request-revision`, `rematch`, `decline-invitation`).
/// - `request-info`: the event named `request-info`.
///
/// A verb decides only where the state offers a choice (an approval, or two or more ways out
/// for people): a state with a single way forward (`submitted` → `start-screening`) is a
/// pick-up, not a decision, and is taken with its own command (`meridian exchange screen`).
public enum DeskVerb: String, Sendable, Codable, CaseIterable {
    case approve
    case reject
    case requestInfo = "request-info"

    /// What the verb resolved to in one state.
    public enum Choice: Sendable, Equatable {
        /// Fire this event (a vote when `approval` is set).
        case fire(OpenAction)
        /// The state has a single way forward for people; take it with its own command.
        case pickUp(OpenAction)
        /// Nothing the verb names is open to the person here.
        case nothing
    }

    /// The event `self` fires among `actions` in `state` of `definition`.
    public func choose(among actions: [OpenAction], in state: String, of definition: WorkflowDefinition) -> Choice {
        guard let current = definition.state(state) else { return .nothing }
        let order = Dictionary(definition.states.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let exits = definition.exitEvents
        let here = order[state] ?? 0
        func target(_ event: String) -> String? { current.transitions.first { $0.event == event }?.target }
        func isFinal(_ event: String) -> Bool { target(event).flatMap { definition.state($0)?.isFinal } ?? false }
        func isForward(_ event: String) -> Bool {
            guard let target = target(event), let index = order[target] else { return false }
            return !isFinal(event) && index > here
        }
        func isBackward(_ event: String) -> Bool {
            guard let target = target(event), let index = order[target] else { return false }
            return !isFinal(event) && index < here
        }
        let peopleEvents = Set(current.transitions.filter { $0.role != nil && !exits.contains($0.event) }.map(\.event))
        let isDecision = !current.approvals.isEmpty || peopleEvents.count >= 2
        let hasForward = peopleEvents.contains { $0 != "request-info" && isForward($0) }
        switch self {
        case .requestInfo:
            return actions.first { $0.approval == nil && $0.event == "request-info" }.map(Choice.fire) ?? .nothing
        case .approve:
            if let vote = actions.first(where: { action in
                current.approvals.contains { $0.id == action.approval && $0.approveEvent == action.event }
            }) { return .fire(vote) }
            if let forward = actions.first(where: { $0.approval == nil && $0.event != "request-info" && isForward($0.event) }) {
                return isDecision ? .fire(forward) : .pickUp(forward)
            }
            // No way on but the end: the end is the approval (results-review → accept-report → closed).
            guard isDecision, !hasForward else { return .nothing }
            return actions.first { $0.approval == nil && isFinal($0.event) }.map(Choice.fire) ?? .nothing
        case .reject:
            if let vote = actions.first(where: { action in
                current.approvals.contains { $0.id == action.approval && $0.rejectEvent == action.event }
            }) { return .fire(vote) }
            guard isDecision else { return .nothing }
            // Where the state has a way on, a final target is the refusal (decline); where the end
            // is itself the approval, rejecting sends the exchange back.
            if hasForward, let final = actions.first(where: { $0.approval == nil && isFinal($0.event) }) { return .fire(final) }
            return actions.first { $0.approval == nil && $0.event != "request-info" && isBackward($0.event) }.map(Choice.fire) ?? .nothing
        }
    }
}
