import Foundation

/// The pure state machine: (definition, snapshot, event, actor, now) → effects or a reason.
///
/// No I/O, no clock, no randomness: the same arguments always give the same result, which is
/// what lets the engine persist exactly what this decides, and tests explore it exhaustively.
public enum WorkflowMachine {
    /// Decides what `event`, fired by `actor` at `now`, does to an instance.
    ///
    /// - Parameters:
    ///   - definition: a definition that loaded without errors.
    ///   - snapshot: the instance as it is.
    ///   - guards: decides the definition's named guards.
    public static func step(
        definition: WorkflowDefinition,
        snapshot: InstanceSnapshot,
        event: WorkflowEvent,
        actor: WorkflowActor,
        now: Date,
        guards: some GuardEvaluator
    ) -> StepResult {
        guard let state = definition.state(snapshot.state) else {
            return .rejected(Rejection(code: .unknownState, message: "the instance is in '\(snapshot.state)', which workflow '\(definition.id)' v\(definition.version) does not declare"))
        }
        if state.isFinal {
            return .rejected(Rejection(code: .eventNotAllowed, message: "the instance has ended in '\(state.id)' and takes no more events"))
        }
        if let (approval, decision) = vote(in: state, for: event.name) {
            return ApprovalStep(definition: definition, state: state, approval: approval, decision: decision,
                                snapshot: snapshot, event: event, actor: actor, now: now, guards: guards).run()
        }
        let candidates = state.transitions.filter { $0.event == event.name }
        guard !candidates.isEmpty else {
            let expected = (state.transitions.map(\.event) + state.approvals.flatMap { [$0.approveEvent, $0.rejectEvent] })
            return .rejected(Rejection(code: .eventNotAllowed,
                message: "state '\(state.id)' takes no event '\(event.name)' (it takes: \(Set(expected).sorted().joined(separator: ", ")))"))
        }
        switch select(candidates, state: state, snapshot: snapshot, event: event, actor: actor, guards: guards) {
        case .failure(let rejection):
            return .rejected(rejection)
        case .success(let transition):
            var next = snapshot
            if actor.kind == .person { next.firedBy[event.name, default: []].insert(actor.id) }
            return .accepted(take(transition, from: state, definition: definition, snapshot: next,
                                  event: event.name, actor: actor, now: now, vote: nil, detail: ""))
        }
    }

    /// The approval of `state` for which `eventName` is a vote, if any.
    static func vote(in state: StateDefinition, for eventName: String) -> (ApprovalDefinition, ApprovalVote.Decision)? {
        for approval in state.approvals {
            if approval.approveEvent == eventName { return (approval, .approve) }
            if approval.rejectEvent == eventName { return (approval, .reject) }
        }
        return nil
    }

    /// The first candidate (in document order) the actor may fire and whose guards all hold.
    static func select(
        _ candidates: [TransitionDefinition], state: StateDefinition, snapshot: InstanceSnapshot,
        event: WorkflowEvent, actor: WorkflowActor, guards: some GuardEvaluator
    ) -> Result<TransitionDefinition, Rejection> {
        let permitted = candidates.filter { transition in
            switch (transition.role, actor.kind) {
            case (nil, .system): return true
            case (nil, .person): return false
            case (.some, .system): return false
            case (.some(let role), .person): return actor.roles.contains(role)
            }
        }
        guard !permitted.isEmpty else {
            let roles = Set(candidates.compactMap(\.role)).sorted()
            if roles.isEmpty {
                return .failure(Rejection(code: .systemOnly, message: "'\(event.name)' is fired by the system (a task, timer or approval), not by a person"))
            }
            if actor.kind == .system {
                return .failure(Rejection(code: .roleMissing, message: "'\(event.name)' in '\(state.id)' must be fired by a person holding \(roles.joined(separator: " or ")), not by the system"))
            }
            return .failure(Rejection(code: .roleMissing, message: "'\(event.name)' in '\(state.id)' needs the role \(roles.joined(separator: " or ")); \(actor.id) holds \(actor.roles.isEmpty ? "no role" : actor.roles.sorted().joined(separator: ", "))"))
        }
        var firstFalse: GuardReference?
        for transition in permitted {
            if let failing = transition.guards.first(where: { !guards.evaluate($0, snapshot: snapshot, event: event) }) {
                firstFalse = firstFalse ?? failing
                continue
            }
            return .success(transition)
        }
        let name = firstFalse.map { "'\($0.name)'" } ?? "a guard"
        return .failure(Rejection(code: .guardFalse, message: "'\(event.name)' is not possible in '\(state.id)' now: guard \(name) is false"))
    }

    /// The effects of taking `transition` out of `state`.
    static func take(
        _ transition: TransitionDefinition, from state: StateDefinition, definition: WorkflowDefinition,
        snapshot: InstanceSnapshot, event: String, actor: WorkflowActor, now: Date, vote: ApprovalVote?, detail: String
    ) -> StepOutcome {
        var next = snapshot
        var tasks = transition.tasks.map { TaskRequest(name: $0.name, maxAttempts: $0.maxAttempts, state: state.id) }
        var timersToSet: [TimerRequest] = []
        var timersToCancel: [TimerID] = []
        let destination: StateDefinition
        let kind: StepOutcome.Kind
        if let targetID = transition.target, let target = definition.state(targetID) {
            kind = .transition
            destination = target
            timersToCancel = state.timers.enumerated().map { TimerID(state: state.id, index: $0.offset, event: $0.element.event) }
            tasks += target.entryTasks.map { TaskRequest(name: $0.name, maxAttempts: $0.maxAttempts, state: target.id) }
            timersToSet = target.timers.enumerated().compactMap { index, timer in
                timer.after.map { TimerRequest(id: TimerID(state: target.id, index: index, event: timer.event), event: timer.event, due: $0.added(to: now)) }
            }
            next.state = target.id
            next.enteredAt = now
            next.votes = []
        } else {
            kind = .internalTransition
            destination = state
        }
        let history = HistoryEntry(event: event, takenEvent: transition.event, actorID: actor.id, actorKind: actor.kind,
                                   from: state.id, to: destination.id, at: now, detail: detail)
        let message = kind == .transition ? "\(state.id) → \(destination.id) on '\(transition.event)'" : "stayed in \(state.id) on '\(transition.event)'"
        return StepOutcome(kind: kind, event: event, takenEvent: transition.event, from: state.id, to: destination.id,
                           isFinal: destination.isFinal, tasksToEnqueue: tasks, timersToSet: timersToSet, timersToCancel: timersToCancel,
                           vote: vote, snapshot: next, history: history, message: detail.isEmpty ? message : "\(detail); \(message)")
    }
}
