/// A definition as a Graphviz DOT digraph (`dot -Tsvg`).
public enum DotDiagram {
    public static func text(of definition: WorkflowDefinition) -> String {
        let ids = PictureIDs(definition)
        var lines = [
            "digraph \(quote(definition.id)) {",
            "    label=\(quote("\(definition.id) v\(definition.version)"));",
            "    rankdir=LR;",
            "    node [shape=box, style=rounded];",
            "    start [shape=point];",
            "    start -> \(ids[definition.initial]);",
        ]
        for state in definition.states {
            var attributes = ["label=\(quote(state.id))"]
            if state.isFinal { attributes.append("peripheries=2") }
            if !state.approvals.isEmpty {
                let approvals = state.approvals.map { "approval \($0.id): \($0.quorum)× \($0.role)" }.joined(separator: "\\n")
                attributes[0] = "label=\(quote(state.id + "\\n" + approvals, escaped: true))"
            }
            lines.append("    \(ids[state.id]) [\(attributes.joined(separator: ", "))];")
        }
        for state in definition.states {
            for transition in state.transitions {
                let target = transition.target ?? state.id
                let style = transition.target == nil ? ", style=dashed" : ""
                lines.append("    \(ids[state.id]) -> \(ids[target]) [label=\(quote(PictureIDs.edgeLabel(transition)))\(style)];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A DOT string literal; `escaped` keeps `\n` sequences the caller wrote on purpose.
    static func quote(_ text: String, escaped: Bool = false) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\" where !escaped: result += "\\\\"
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result + "\""
    }
}
