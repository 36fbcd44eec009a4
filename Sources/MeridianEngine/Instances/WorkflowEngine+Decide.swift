import Foundation
import MeridianQueue
import MeridianWorkflow

/// What the state machine made of an event against one reading of its instance.
enum StepDecision {
    /// Nothing changes: the machine refused the event, or a timer's stay is over. Only the
    /// request's idempotency key, if it has one, is stored with this outcome.
    case refused(FireOutcome)
    /// A step to store: its write (state, history, vote, key, queued tasks and timers: one
    /// statement) and its in-step tasks, which need the step's transaction.
    case accepted(AcceptedStep)
}

/// An accepted step, ready to store: by its one statement alone (optimistic), or by that
/// statement and then its in-step tasks on the same connection (under the row lock).
struct AcceptedStep {
    var write: StepWrite
    /// The step's tasks that run in its transaction, with what their handlers see.
    var inStepTasks: [TaskRequest]
    var effects: StepEffects

    var outcome: FireOutcome { write.outcome }
}

extension WorkflowEngine {
    /// Decides `request` against `instance` as read (under its lock, or without one by an
    /// optimistic step whose write then checks the version it was read at).
    ///
    /// - Parameter requiredStateEntry: for timers: the state entry the event belongs to; if
    ///   the instance has left it since, the event is stale and does nothing.
    func decide(
        _ request: FireRequest, instance: InstanceRow, requiredStateEntry: Int64?, definition: WorkflowDefinition
    ) throws -> StepDecision {
        var outcome = FireOutcome(status: .rejected, instanceID: instance.id, event: request.event, from: instance.state, to: instance.state,
                                  version: instance.version, message: "", rejectionCode: nil, replayed: false)
        if let requiredStateEntry, requiredStateEntry != instance.stateEntry {
            outcome.status = .stale
            outcome.message = "'\(request.event)' belongs to an earlier stay in a state; the instance has moved on (now in \(instance.state)), so it does nothing"
            return .refused(outcome)
        }
        var context = instance.context
        var snapshot = instance.snapshot
        if !request.contextChanges.isEmpty {
            context.merge(request.contextChanges) { _, new in new }
            snapshot.context = try ContextMapping.instanceContext(from: context)
        }
        let now = now()
        let event = WorkflowEvent(request.event, payload: ContextMapping.payload(from: request.data))
        let step: StepOutcome
        switch WorkflowMachine.step(definition: definition, snapshot: snapshot, event: event, actor: request.actor, now: now, guards: configuration.guards) {
        case .rejected(let rejection):
            outcome.message = rejection.message
            outcome.rejectionCode = rejection.code.rawValue
            return .refused(outcome)
        case .accepted(let accepted):
            step = accepted
        }
        let version = instance.version + 1
        let stateEntry = step.kind == .transition ? instance.stateEntry + 1 : instance.stateEntry
        let record = HistoryChain.sealed(HistoryRecord(
            instanceID: instance.id, seq: version, workflowVersion: instance.workflowVersion, event: step.history.event,
            takenEvent: step.history.takenEvent, actorID: step.history.actorID, actorKind: step.history.actorKind,
            actorRoles: request.actor.roles.sorted().joined(separator: ","), from: step.history.from, to: step.history.to,
            occurredAt: now, detail: step.message, payload: JSONValue.canonicalText(request.data),
            vote: step.vote.map { "\($0.approval):\($0.decision.rawValue)" } ?? "", idempotencyKey: request.idempotencyKey,
            previousHash: "", hash: ""), previous: instance.historyHash)
        var applied = outcome
        applied.status = .applied
        applied.to = step.to
        applied.version = version
        applied.message = step.message
        let inStep = step.tasksToEnqueue.filter { configuration.tasks.inStepHandler(for: $0.name) != nil }
        let queued = step.tasksToEnqueue.filter { configuration.tasks.inStepHandler(for: $0.name) == nil }
        let jobs = try EffectWriter.jobs(tasks: queued, timers: step.timersToSet, queue: QueueName(configuration.queue),
                                         instance: instance.id, state: step.to, stateEntry: stateEntry)
        let write = StepWrite(instance: instance, state: step.to, stateEntry: stateEntry, isFinal: step.isFinal, context: context,
                              snapshot: step.snapshot, record: record, vote: step.vote, key: request.idempotencyKey, outcome: applied,
                              jobs: try QueueAddJobs(jobs))
        let effects = StepEffects(instanceID: instance.id, workflowID: instance.workflowID, workflowVersion: instance.workflowVersion,
                                  state: step.to, stateEntry: stateEntry, takenEvent: step.history.takenEvent, firedEvent: request.event,
                                  data: request.data, actor: request.actor, version: version, context: context,
                                  occurredAt: now)
        return .accepted(AcceptedStep(write: write, inStepTasks: inStep, effects: effects))
    }
}
