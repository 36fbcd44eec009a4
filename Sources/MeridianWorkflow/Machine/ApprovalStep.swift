import Foundation

/// A vote on an approval: who may vote, whether the quorum is reached, what follows.
///
/// One rejection by an eligible approver fires the approval's rejected event. Approvals count
/// distinct eligible people; when they reach the quorum for the instance's amount, the
/// approved event fires and its transition is taken in the same step.
struct ApprovalStep<Guards: GuardEvaluator> {
    let definition: WorkflowDefinition
    let state: StateDefinition
    let approval: ApprovalDefinition
    let decision: ApprovalVote.Decision
    let snapshot: InstanceSnapshot
    let event: WorkflowEvent
    let actor: WorkflowActor
    let now: Date
    let guards: Guards

    func run() -> StepResult {
        guard actor.kind == .person, actor.roles.contains(approval.role) else {
            let who = actor.kind == .system ? "the system" : actor.id
            return .rejected(Rejection(code: .roleMissing, message: "voting on approval '\(approval.id)' needs the role \(approval.role); \(who) does not hold it"))
        }
        let earlier = snapshot.votes.filter { $0.approval == approval.id }
        if earlier.contains(where: { $0.actorID == actor.id }) {
            return .rejected(Rejection(code: .alreadyVoted, message: "\(actor.id) already voted on approval '\(approval.id)'; approvers must be distinct people"))
        }
        for rule in approval.distinctFrom where snapshot.firedBy[rule.event]?.contains(actor.id) == true {
            return .rejected(Rejection(code: .approverNotDistinct,
                message: "\(actor.id) fired '\(rule.event)' in this instance and so may not vote on approval '\(approval.id)' (separation of duties)"))
        }
        let vote = ApprovalVote(approval: approval.id, actorID: actor.id, decision: decision, at: now)
        var next = snapshot
        next.votes.append(vote)
        next.firedBy[event.name, default: []].insert(actor.id)

        let required = approval.requiredApprovals(for: approval.amountKey.flatMap { snapshot.context.amounts[$0] })
        let approvals = Set(next.votes.filter { $0.approval == approval.id && $0.decision == .approve }.map(\.actorID)).count
        let outcomeEvent: String
        let detail: String
        switch decision {
        case .reject:
            outcomeEvent = approval.onRejected
            detail = "\(actor.id) rejected approval '\(approval.id)'"
        case .approve where approvals >= required:
            outcomeEvent = approval.onApproved
            detail = "approval '\(approval.id)' reached its quorum of \(required)"
        case .approve:
            let missing = required - approvals
            let history = HistoryEntry(event: event.name, takenEvent: event.name, actorID: actor.id, actorKind: actor.kind,
                                       from: state.id, to: state.id, at: now, detail: "vote \(approvals) of \(required) on '\(approval.id)'")
            return .accepted(StepOutcome(kind: .voteRecorded, event: event.name, takenEvent: event.name, from: state.id, to: state.id,
                                         isFinal: false, tasksToEnqueue: [], timersToSet: [], timersToCancel: [], vote: vote,
                                         snapshot: next, history: history,
                                         message: "approval recorded, waiting for \(missing) more"))
        }
        let candidates = state.transitions.filter { $0.event == outcomeEvent }
        switch WorkflowMachine.select(candidates, state: state, snapshot: next, event: WorkflowEvent(outcomeEvent, payload: event.payload),
                                      actor: .system("approval:\(approval.id)"), guards: guards) {
        case .failure(let rejection):
            return .rejected(Rejection(code: rejection.code, message: "the vote would fire '\(outcomeEvent)', but: \(rejection.message)"))
        case .success(let transition):
            return .accepted(WorkflowMachine.take(transition, from: state, definition: definition, snapshot: next,
                                                  event: event.name, actor: actor, now: now, vote: vote, detail: detail))
        }
    }
}
