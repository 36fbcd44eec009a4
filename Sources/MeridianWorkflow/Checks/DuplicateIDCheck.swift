/// `duplicate-id`: states (final or not), roles, approvals and guard parameters are unique.
struct DuplicateIDCheck: DefinitionCheck {
    func check(_ definition: WorkflowDefinition, in context: CheckContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func report<Item>(_ items: [Item], kind: String, id: (Item) -> String, positions: (Item) -> SourcePositions, attribute: String = "id") {
            var first: [String: SourceLocation] = [:]
            for item in items {
                let location = positions(item).of(attribute)
                if let earlier = first[id(item)] {
                    diagnostics.append(context.diagnostic(.duplicateID, at: location,
                        "\(kind) '\(id(item))' is declared twice (first at line \(earlier.line)); ids must be unique"))
                } else {
                    first[id(item)] = location
                }
            }
        }
        report(definition.states, kind: "state", id: \.id, positions: \.positions)
        report(definition.roles, kind: "role", id: \.id, positions: \.positions)
        report(definition.states.flatMap(\.approvals), kind: "approval", id: \.id, positions: \.positions)
        for state in definition.states {
            for transition in state.transitions {
                for guardReference in transition.guards {
                    report(guardReference.parameters, kind: "parameter of guard '\(guardReference.name)'", id: \.name, positions: \.positions, attribute: "name")
                }
            }
        }
        return diagnostics
    }
}
