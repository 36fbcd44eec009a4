/// A definition as a Mermaid state diagram (`stateDiagram-v2`), for Markdown pages and reviews.
public enum MermaidDiagram {
    public static func text(of definition: WorkflowDefinition) -> String {
        var lines = ["---", "title: \(definition.id) v\(definition.version)", "---", "stateDiagram-v2"]
        let ids = PictureIDs(definition)
        for state in definition.states {
            lines.append("    state \"\(label(state.id))\" as \(ids[state.id])")
        }
        lines.append("    [*] --> \(ids[definition.initial])")
        for state in definition.states {
            for transition in state.transitions {
                let target = transition.target ?? state.id
                lines.append("    \(ids[state.id]) --> \(ids[target]) : \(label(PictureIDs.edgeLabel(transition)))")
            }
            for approval in state.approvals {
                lines.append("    note right of \(ids[state.id]) : approval \(label(approval.id)) by \(approval.quorum)× \(label(approval.role))")
            }
            if state.isFinal { lines.append("    \(ids[state.id]) --> [*]") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Mermaid labels end at `:`, `;` or a newline and break on `#`; those are replaced.
    static func label(_ text: String) -> String {
        String(text.map { ":;#\n\"".contains($0) ? " " : $0 })
    }
}

/// Identifiers safe in both picture languages (ids have hyphens, which neither accepts bare).
struct PictureIDs {
    private var ids: [String: String] = [:]

    init(_ definition: WorkflowDefinition) {
        for (index, state) in definition.states.enumerated() where ids[state.id] == nil {
            ids[state.id] = "s\(index)_" + state.id.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        }
    }

    subscript(id: String) -> String {
        ids[id] ?? "missing_" + id.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    /// `event [role] (guards)`.
    static func edgeLabel(_ transition: TransitionDefinition) -> String {
        var text = transition.event
        if let role = transition.role { text += " [\(role)]" }
        if !transition.guards.isEmpty { text += " (" + transition.guards.map(\.name).joined(separator: ", ") + ")" }
        return text
    }
}
