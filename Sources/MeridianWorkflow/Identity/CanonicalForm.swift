/// The canonical text of a definition: its content, independent of how the XML was written.
///
/// Whitespace, attribute order, comments, namespace prefixes, the order of `<state>` and
/// `<final>` elements and of roles, and attributes written at their default value make no
/// difference; everything that changes behaviour or documentation does. The order of
/// transitions within a state is kept (it decides between guarded alternatives), and so is
/// the order of timers and tasks. One line per item, values escaped, so two different
/// definitions cannot produce the same text.
public enum CanonicalForm {
    public static func text(of definition: WorkflowDefinition) -> String {
        var lines: [String] = []
        func line(_ kind: String, _ fields: [(String, String?)]) {
            lines.append(kind + fields.compactMap { key, value in value.map { " \(key)=\(escape($0))" } }.joined())
        }
        line("workflow", [("id", definition.id), ("version", String(definition.version)), ("initial", definition.initial), ("description", definition.description)])
        for role in definition.roles.sorted(by: { $0.id < $1.id }) {
            line("role", [("id", role.id), ("description", role.description)])
        }
        for state in definition.states.sorted(by: { $0.id < $1.id }) {
            line(state.isFinal ? "final" : "state", [("id", state.id), ("description", state.description), ("public-step", state.publicStep)])
            for task in state.entryTasks {
                line("  entry-task", [("name", task.name), ("max-attempts", String(task.maxAttempts))])
            }
            for timer in state.timers {
                line("  timer", [("after", timer.after?.description ?? timer.afterText), ("event", timer.event)])
            }
            for approval in state.approvals {
                line("  approval", [("id", approval.id), ("role", approval.role), ("quorum", String(approval.quorum)),
                                    ("amount", approval.amountKey), ("approve-event", approval.approveEvent),
                                    ("reject-event", approval.rejectEvent), ("on-approved", approval.onApproved),
                                    ("on-rejected", approval.onRejected)])
                for tier in approval.quorumAbove.sorted(by: { ($0.currencyCode, $0.minorUnits) < ($1.currencyCode, $1.minorUnits) }) {
                    line("    quorum-above", [("amount", String(tier.minorUnits)), ("currency", tier.currencyCode), ("count", String(tier.count))])
                }
                for rule in Set(approval.distinctFrom.map(\.event)).sorted() {
                    line("    distinct-from", [("event", rule)])
                }
            }
            for transition in state.transitions {
                line("  on", [("event", transition.event), ("target", transition.target), ("role", transition.role)])
                for guardReference in transition.guards {
                    line("    guard", [("name", guardReference.name)])
                    for parameter in guardReference.parameters.sorted(by: { $0.name < $1.name }) {
                        line("      param", [("name", parameter.name), ("value", parameter.value)])
                    }
                }
                for task in transition.tasks {
                    line("    task", [("name", task.name), ("max-attempts", String(task.maxAttempts))])
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Quoted, with `\`, `"` and control characters escaped, so values cannot run into the next field.
    public static func escape(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
