/// What people may do now in an instance: the pure answer to "who acts next?", which inboxes
/// and status pages are built from.
public struct OpenAction: Sendable, Hashable, Codable {
    /// The event a person fires to take the action.
    public var event: String
    /// The role that may fire it.
    public var role: String
    /// For a vote: the approval's id, the approvals counted so far and how many it needs.
    public var approval: String?
    public var approvalsSoFar: Int?
    public var approvalsRequired: Int?

    public init(event: String, role: String, approval: String? = nil, approvalsSoFar: Int? = nil, approvalsRequired: Int? = nil) {
        self.event = event
        self.role = role
        self.approval = approval
        self.approvalsSoFar = approvalsSoFar
        self.approvalsRequired = approvalsRequired
    }
}

extension WorkflowDefinition {
    /// Events that end an instance from many states — withdrawing, cancelling: always
    /// possible, so never "work waiting". An event counts as an exit when it leads to a final
    /// state from three or more states of the definition.
    public var exitEvents: Set<String> {
        var sources: [String: Set<String>] = [:]
        for state in states where !state.isFinal {
            for transition in state.transitions {
                guard let target = transition.target, self.state(target)?.isFinal == true else { continue }
                sources[transition.event, default: []].insert(state.id)
            }
        }
        return Set(sources.filter { $0.value.count >= 3 }.keys)
    }

    /// The actions people holding `roles` may take in the state of `snapshot`, leaving out
    /// the exits (``exitEvents``). With `actorID`, votes that person may not cast — she voted
    /// already, or fired an event the approval must be distinct from — are left out too.
    /// Guards are not evaluated: an action listed here may still be refused for a missing fact.
    public func openActions(in snapshot: InstanceSnapshot, roles: Set<String>?, actorID: String? = nil) -> [OpenAction] {
        openActions(in: snapshot, roles: roles, actorID: actorID, exits: exitEvents)
    }

    /// ``openActions(in:roles:actorID:)`` with the definition's ``exitEvents`` worked out once
    /// by the caller: they walk every state, and a list of many instances of one definition
    /// (the officials' "my exchanges") would otherwise walk them once per instance.
    public func openActions(in snapshot: InstanceSnapshot, roles: Set<String>?, actorID: String? = nil, exits: Set<String>) -> [OpenAction] {
        guard let state = state(snapshot.state), !state.isFinal else { return [] }
        func allowed(_ role: String) -> Bool { roles?.contains(role) ?? true }
        var actions: [OpenAction] = []
        for approval in state.approvals where allowed(approval.role) {
            let votes = snapshot.votes.filter { $0.approval == approval.id }
            if let actorID {
                if votes.contains(where: { $0.actorID == actorID }) { continue }
                if approval.distinctFrom.contains(where: { snapshot.firedBy[$0.event]?.contains(actorID) == true }) { continue }
            }
            let approvals = Set(votes.filter { $0.decision == .approve }.map(\.actorID)).count
            let required = approval.requiredApprovals(for: approval.amountKey.flatMap { snapshot.context.amounts[$0] })
            for event in [approval.approveEvent, approval.rejectEvent] {
                actions.append(OpenAction(event: event, role: approval.role, approval: approval.id, approvalsSoFar: approvals, approvalsRequired: required))
            }
        }
        var seen: Set<String> = []
        for transition in state.transitions {
            guard let role = transition.role, allowed(role), !exits.contains(transition.event) else { continue }
            guard seen.insert("\(transition.event) \(role)").inserted else { continue }
            actions.append(OpenAction(event: transition.event, role: role))
        }
        return actions
    }
}
