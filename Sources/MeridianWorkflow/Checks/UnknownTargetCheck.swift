/// `unknown-target`: the initial state and every transition target exist.
struct UnknownTargetCheck: DefinitionCheck {
    func check(_ definition: WorkflowDefinition, in context: CheckContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if definition.state(definition.initial) == nil {
            diagnostics.append(context.diagnostic(.unknownTarget, at: definition.positions.of("initial"),
                "the initial state '\(definition.initial)' is not declared"))
        } else if definition.state(definition.initial)?.isFinal == true {
            diagnostics.append(context.diagnostic(.unknownTarget, at: definition.positions.of("initial"),
                "the initial state '\(definition.initial)' is a final state; an instance would end before it starts"))
        }
        let known = Set(definition.states.map(\.id))
        for state in definition.states {
            for transition in state.transitions {
                if let target = transition.target, !known.contains(target) {
                    diagnostics.append(context.diagnostic(.unknownTarget, at: transition.positions.of("target"),
                        "transition on '\(transition.event)' in state '\(state.id)' targets '\(target)', which is not a declared state\(Suggestion.text(for: target, among: known))"))
                }
            }
        }
        return diagnostics
    }
}

/// "did you mean" for a misspelt name.
enum Suggestion {
    static func text(for name: String, among candidates: some Collection<String>) -> String {
        let scored = candidates.map { ($0, distance(name, $0)) }.filter { $0.1 <= max(1, name.count / 3) && $0.1 < name.count }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return "" }
        return "; did you mean '\(best.0)'?"
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
