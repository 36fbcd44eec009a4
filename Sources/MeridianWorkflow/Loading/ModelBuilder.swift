/// Builds a `WorkflowDefinition` from parsed elements.
///
/// Lenient on purpose: it also runs on documents that broke the schema, so that the semantic
/// checks can report their findings in the same run. An element that lacks an attribute the
/// schema requires is left out (the schema violation already names it), so one mistake does
/// not cascade into several.
struct ModelBuilder {
    func build(_ root: ParsedElement) -> WorkflowDefinition {
        let roles = root.children(named: "roles").flatMap { $0.children(named: "role") }.compactMap { element -> RoleDefinition? in
            guard let id = element.attribute("id") else { return nil }
            return RoleDefinition(id: id, description: element.attribute("description"), positions: element.positions)
        }
        var states: [StateDefinition] = []
        for element in root.children where element.name == "state" || element.name == "final" {
            guard let id = element.attribute("id") else { continue }
            states.append(StateDefinition(
                id: id,
                isFinal: element.name == "final",
                description: element.children(named: "description").first?.text,
                publicStep: element.attribute("public-step")?.trimmingWhitespace(),
                entryTasks: element.children(named: "entry").flatMap { $0.children(named: "task") }.compactMap(task),
                timers: element.children(named: "timer").compactMap(timer),
                approvals: element.children(named: "approval").compactMap(approval),
                transitions: element.children(named: "on").compactMap(transition),
                positions: element.positions
            ))
        }
        return WorkflowDefinition(
            id: root.attribute("id") ?? "",
            version: root.attribute("version").flatMap { Int($0) } ?? 0,
            initial: root.attribute("initial") ?? "",
            description: root.children(named: "description").first?.text,
            roles: roles,
            states: states,
            positions: root.positions
        )
    }

    private func task(_ element: ParsedElement) -> TaskSpec? {
        guard let name = element.attribute("name") else { return nil }
        let attempts = element.attribute("max-attempts").flatMap { Int($0.trimmingWhitespace()) } ?? TaskSpec.defaultMaxAttempts
        return TaskSpec(name: name, maxAttempts: attempts, positions: element.positions)
    }

    private func timer(_ element: ParsedElement) -> TimerDefinition? {
        guard let after = element.attribute("after"), let event = element.attribute("event") else { return nil }
        return TimerDefinition(after: after.trimmingWhitespace(), event: event, positions: element.positions)
    }

    private func transition(_ element: ParsedElement) -> TransitionDefinition? {
        guard let event = element.attribute("event") else { return nil }
        return TransitionDefinition(
            event: event,
            target: element.attribute("target"),
            role: element.attribute("role"),
            guards: element.children(named: "guard").compactMap(guardReference),
            tasks: element.children(named: "task").compactMap(task),
            positions: element.positions
        )
    }

    private func guardReference(_ element: ParsedElement) -> GuardReference? {
        guard let name = element.attribute("name") else { return nil }
        let parameters = element.children(named: "param").compactMap { parameter -> GuardReference.Parameter? in
            guard let name = parameter.attribute("name"), let value = parameter.attribute("value") else { return nil }
            return GuardReference.Parameter(name: name, value: value, positions: parameter.positions)
        }
        return GuardReference(name: name, parameters: parameters, positions: element.positions)
    }

    private func approval(_ element: ParsedElement) -> ApprovalDefinition? {
        guard let id = element.attribute("id"), let role = element.attribute("role"),
              let onApproved = element.attribute("on-approved"), let onRejected = element.attribute("on-rejected")
        else { return nil }
        let tiers = element.children(named: "quorum-above").compactMap { tier -> ApprovalDefinition.QuorumAbove? in
            guard let amount = tier.attribute("amount").flatMap({ Int64($0.trimmingWhitespace()) }),
                  let currency = tier.attribute("currency"),
                  let count = tier.attribute("count").flatMap({ Int($0.trimmingWhitespace()) })
            else { return nil }
            return .init(minorUnits: amount, currencyCode: currency.trimmingWhitespace(), count: count, positions: tier.positions)
        }
        let distinct = element.children(named: "distinct-from").compactMap { rule -> ApprovalDefinition.DistinctFrom? in
            rule.attribute("event").map { .init(event: $0, positions: rule.positions) }
        }
        return ApprovalDefinition(
            id: id, role: role,
            quorum: element.attribute("quorum").flatMap { Int($0.trimmingWhitespace()) } ?? 0,
            amountKey: element.attribute("amount"),
            quorumAbove: tiers, distinctFrom: distinct,
            approveEvent: element.attribute("approve-event") ?? "approve",
            rejectEvent: element.attribute("reject-event") ?? "reject",
            onApproved: onApproved, onRejected: onRejected,
            positions: element.positions
        )
    }
}
