/// `undeclared-role`: every role a transition or approval names is declared in `<roles>`.
struct UndeclaredRoleCheck: DefinitionCheck {
    func check(_ definition: WorkflowDefinition, in context: CheckContext) -> [Diagnostic] {
        let declared = Set(definition.roles.map(\.id))
        var diagnostics: [Diagnostic] = []
        for state in definition.states {
            for transition in state.transitions {
                if let role = transition.role, !declared.contains(role) {
                    diagnostics.append(context.diagnostic(.undeclaredRole, at: transition.positions.of("role"),
                        "role '\(role)' (transition on '\(transition.event)' in state '\(state.id)') is not declared in <roles>\(Suggestion.text(for: role, among: declared))"))
                }
            }
            for approval in state.approvals where !declared.contains(approval.role) {
                diagnostics.append(context.diagnostic(.undeclaredRole, at: approval.positions.of("role"),
                    "role '\(approval.role)' (approval '\(approval.id)') is not declared in <roles>\(Suggestion.text(for: approval.role, among: declared))"))
            }
        }
        return diagnostics
    }
}
