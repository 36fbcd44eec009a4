/// `unknown-task` and `unknown-guard`: tasks and guards exist in the caller's registry, and
/// guards get exactly the parameters they take.
struct RegistryCheck: DefinitionCheck {
    func check(_ definition: WorkflowDefinition, in context: CheckContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let registry = context.registry
        for state in definition.states {
            for task in state.entryTasks + state.transitions.flatMap(\.tasks) where !registry.tasks.contains(task.name) {
                diagnostics.append(context.diagnostic(.unknownTask, at: task.positions.of("name"),
                    "task '\(task.name)' in state '\(state.id)' has no registered handler\(Suggestion.text(for: task.name, among: registry.tasks))"))
            }
            for transition in state.transitions {
                for guardReference in transition.guards {
                    guard let signature = registry.guards[guardReference.name] else {
                        diagnostics.append(context.diagnostic(.unknownGuard, at: guardReference.positions.of("name"),
                            "guard '\(guardReference.name)' (transition on '\(transition.event)' in state '\(state.id)') is not registered\(Suggestion.text(for: guardReference.name, among: registry.guards.keys))"))
                        continue
                    }
                    let given = Set(guardReference.parameters.map(\.name))
                    for missing in signature.requiredParameters.subtracting(given).sorted() {
                        diagnostics.append(context.diagnostic(.unknownGuard, at: guardReference.positions.of("name"),
                            "guard '\(guardReference.name)' needs the parameter '\(missing)'"))
                    }
                    let allowed = signature.requiredParameters.union(signature.optionalParameters)
                    for parameter in guardReference.parameters where !allowed.contains(parameter.name) {
                        diagnostics.append(context.diagnostic(.unknownGuard, at: parameter.positions.of("name"),
                            "guard '\(guardReference.name)' takes no parameter '\(parameter.name)'" + (allowed.isEmpty ? "" : " (it takes \(allowed.sorted().joined(separator: ", ")))")))
                    }
                }
            }
        }
        return diagnostics
    }
}
