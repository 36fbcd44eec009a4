/// `waiting-without-timer`: a state that waits for a person has a timer, so that a person
/// who does not act is reminded or the decision escalated instead of the instance waiting forever.
struct WaitingWithoutTimerCheck: DefinitionCheck {
    func check(_ definition: WorkflowDefinition, in context: CheckContext) -> [Diagnostic] {
        definition.states.filter { !$0.isFinal && $0.waitsForPerson && $0.timers.isEmpty }.map { state in
            let who = Set(state.transitions.compactMap(\.role) + state.approvals.map(\.role)).sorted().joined(separator: ", ")
            return context.diagnostic(.waitingWithoutTimer, at: state.positions.of("id"),
                "state '\(state.id)' waits for a person (\(who)) but has no <timer>; add one that reminds or escalates")
        }
    }
}
