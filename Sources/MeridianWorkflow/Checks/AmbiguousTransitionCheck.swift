/// `ambiguous-transition`: when one event may take two transitions of a state, guards must
/// tell them apart.
///
/// Transitions are tried in document order and the first whose guards all hold is taken.
/// So two transitions on one event with the same guards are ambiguous, and one without
/// guards shadows every later one on the same event. A guarded transition followed by an
/// unguarded one is the accepted "otherwise" form. An approval's vote events are handled by
/// the approval and must not also be transitions of the state. Transitions for different
/// roles are told apart by the role (someone holding both takes the first).
struct AmbiguousTransitionCheck: DefinitionCheck {
    func check(_ definition: WorkflowDefinition, in context: CheckContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for state in definition.states {
            var earlier: [String: [TransitionDefinition]] = [:]
            for transition in state.transitions {
                let signature = Set(transition.guards.map(\.signature))
                // Different roles tell transitions apart: a person takes the one for the role they hold.
                for previous in earlier[transition.event] ?? [] where previous.role == transition.role {
                    let previousSignature = Set(previous.guards.map(\.signature))
                    if previous.guards.isEmpty {
                        diagnostics.append(context.diagnostic(.ambiguousTransition, at: transition.positions.of("event"),
                            "state '\(state.id)' already takes '\(transition.event)' without a guard at line \(previous.positions.element.line), so this transition can never be taken"))
                        break
                    }
                    if previousSignature == signature {
                        diagnostics.append(context.diagnostic(.ambiguousTransition, at: transition.positions.of("event"),
                            "state '\(state.id)' takes '\(transition.event)' twice with the same guards (also at line \(previous.positions.element.line)); make the guards differ"))
                        break
                    }
                }
                earlier[transition.event, default: []].append(transition)
            }
            for approval in state.approvals {
                for vote in [approval.approveEvent, approval.rejectEvent] {
                    if let clash = state.transitions.first(where: { $0.event == vote }) {
                        diagnostics.append(context.diagnostic(.ambiguousTransition, at: clash.positions.of("event"),
                            "'\(vote)' is a vote of approval '\(approval.id)' in state '\(state.id)' and cannot also be a transition there"))
                    }
                }
                if approval.approveEvent == approval.rejectEvent {
                    diagnostics.append(context.diagnostic(.ambiguousTransition, at: approval.positions.of("reject-event"),
                        "approval '\(approval.id)' uses '\(approval.approveEvent)' both to approve and to reject"))
                }
            }
            let voteEvents = state.approvals.flatMap { [$0.approveEvent, $0.rejectEvent] }
            var seenVotes: Set<String> = []
            for (index, vote) in voteEvents.enumerated() where !seenVotes.insert(vote).inserted {
                let approval = state.approvals[index / 2]
                diagnostics.append(context.diagnostic(.ambiguousTransition, at: approval.positions.element,
                    "vote event '\(vote)' belongs to two approvals of state '\(state.id)'"))
            }
        }
        return diagnostics
    }
}
