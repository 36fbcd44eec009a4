/// `unknown-event`: events that timers and approvals fire are handled in their state, and
/// events that separation-of-duties rules name are fired somewhere in the workflow.
struct UnknownEventCheck: DefinitionCheck {
    func check(_ definition: WorkflowDefinition, in context: CheckContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let personEvents = Set(definition.states.flatMap { state in
            state.transitions.map(\.event) + state.approvals.flatMap { [$0.approveEvent, $0.rejectEvent] }
        })
        for state in definition.states {
            let handled = Set(state.transitions.map(\.event))
            for timer in state.timers where !handled.contains(timer.event) {
                diagnostics.append(context.diagnostic(.unknownEvent, at: timer.positions.of("event"),
                    "timer event '\(timer.event)' is not handled by any <on> of state '\(state.id)', so the timer would do nothing"))
            }
            for approval in state.approvals {
                for (attribute, event) in [("on-approved", approval.onApproved), ("on-rejected", approval.onRejected)] where !handled.contains(event) {
                    diagnostics.append(context.diagnostic(.unknownEvent, at: approval.positions.of(attribute),
                        "approval '\(approval.id)' fires '\(event)', which no <on> of state '\(state.id)' handles"))
                }
                for rule in approval.distinctFrom where !personEvents.contains(rule.event) {
                    diagnostics.append(context.diagnostic(.unknownEvent, at: rule.positions.of("event"),
                        "approval '\(approval.id)' must be distinct from whoever fired '\(rule.event)', but no state takes that event"))
                }
            }
        }
        return diagnostics
    }
}
