/// `unreachable-state`: every state can be reached from the initial state.
struct ReachabilityCheck: DefinitionCheck {
    func check(_ definition: WorkflowDefinition, in context: CheckContext) -> [Diagnostic] {
        guard definition.state(definition.initial) != nil else { return [] }
        let reached = Graph(definition).reachable(from: [definition.initial])
        return definition.states.filter { !reached.contains($0.id) }.map { state in
            context.diagnostic(.unreachableState, at: state.positions.of("id"),
                "state '\(state.id)' cannot be reached from the initial state '\(definition.initial)'; add a transition to it or remove it")
        }
    }
}

/// `no-path-to-final`: from every non-final state some final state can still be reached.
struct PathToFinalCheck: DefinitionCheck {
    func check(_ definition: WorkflowDefinition, in context: CheckContext) -> [Diagnostic] {
        let finals = definition.states.filter(\.isFinal).map(\.id)
        if finals.isEmpty {
            return [context.diagnostic(.noPathToFinal, at: definition.positions.element,
                "the workflow declares no <final> state, so no instance can ever end")]
        }
        let canFinish = Graph(definition).reversed().reachable(from: finals)
        return definition.states.filter { !$0.isFinal && !canFinish.contains($0.id) }.map { state in
            context.diagnostic(.noPathToFinal, at: state.positions.of("id"),
                "no final state can be reached from state '\(state.id)'; an instance there could never end")
        }
    }
}

/// States and the transitions between them, as adjacency lists.
struct Graph {
    var edges: [String: [String]]

    init(_ definition: WorkflowDefinition) {
        var edges: [String: [String]] = [:]
        for state in definition.states {
            edges[state.id, default: []].append(contentsOf: state.successors)
        }
        self.edges = edges
    }

    private init(edges: [String: [String]]) { self.edges = edges }

    func reversed() -> Graph {
        var reversed: [String: [String]] = [:]
        for (source, targets) in edges {
            for target in targets { reversed[target, default: []].append(source) }
        }
        return Graph(edges: reversed)
    }

    func reachable(from starts: [String]) -> Set<String> {
        var seen = Set(starts)
        var pending = starts
        while let next = pending.popLast() {
            for target in edges[next] ?? [] where seen.insert(target).inserted {
                pending.append(target)
            }
        }
        return seen
    }
}
