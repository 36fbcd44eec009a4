/// `unknown-public-step`: a state's `public-step` names a step of the public status bar.
///
/// The schema takes any identifier, so a misspelt step is reported here with the steps
/// there are, rather than as a pattern the reader has to decode.
struct PublicStepCheck: DefinitionCheck {
    func check(_ definition: WorkflowDefinition, in context: CheckContext) -> [Diagnostic] {
        let known = StateDefinition.publicSteps
        return definition.states.compactMap { state -> Diagnostic? in
            guard let step = state.publicStep, !known.contains(step) else { return nil }
            return context.diagnostic(.unknownPublicStep, at: state.positions.of("public-step"),
                "state '\(state.id)' has public-step '\(step)', which is not a step of the status bar (\(known.joined(separator: ", ")))\(Suggestion.text(for: step, among: known))")
        }
    }
}
