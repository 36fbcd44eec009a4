import MeridianCodes
import Foundation
import MeridianWorkflow
import Testing

@Suite("Step function")
struct MachineTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let official = WorkflowActor.person("olu", roles: ["official"])
    let manager = WorkflowActor.person("mia", roles: ["program-manager"])
    let partner = WorkflowActor.person("pia", roles: ["partner-official"])

    func exchange() throws -> WorkflowDefinition { try Fixtures.shipped("knowledge-exchange") }

    func step(_ definition: WorkflowDefinition, _ snapshot: InstanceSnapshot, _ event: String, by actor: WorkflowActor,
              guards: ClosureGuardEvaluator = .alwaysTrue, at time: Date? = nil) -> StepResult {
        WorkflowMachine.step(definition: definition, snapshot: snapshot, event: WorkflowEvent(event), actor: actor, now: time ?? now, guards: guards)
    }

    @Test func submittingMovesTheDraftAndSwapsTimers() throws {
        let definition = try exchange()
        let start = InstanceSnapshot.start(definition, at: now)
        let later = now.addingTimeInterval(3600)
        let outcome = try #require(step(definition, start, "submit", by: official, at: later).outcome)
        #expect(outcome.kind == .transition)
        #expect(outcome.from == "draft" && outcome.to == "submitted")
        #expect(outcome.tasksToEnqueue == [TaskRequest(name: "notify-submitted", maxAttempts: 3, state: "submitted")])
        #expect(outcome.timersToCancel.map(\.rawValue) == ["draft/0/draft-reminder", "draft/1/draft-abandoned"])
        #expect(outcome.timersToSet.map(\.event) == ["pickup-overdue"])
        #expect(outcome.timersToSet.first?.due == later.addingTimeInterval(3 * 86_400))
        #expect(outcome.snapshot.state == "submitted")
        #expect(outcome.snapshot.enteredAt == later)
        #expect(outcome.snapshot.firedBy["submit"] == ["olu"])
        #expect(outcome.history.actorID == "olu" && outcome.history.from == "draft" && outcome.history.to == "submitted")
    }

    @Test func entryTasksCarryTheirMaximumAttempts() throws {
        let definition = try exchange()
        let screening = InstanceSnapshot(state: "screening", enteredAt: now)
        let outcome = try #require(step(definition, screening, "accept", by: manager).outcome)
        #expect(outcome.tasksToEnqueue == [TaskRequest(name: "match-experiences", maxAttempts: 5, state: "matching")])
        #expect(outcome.timersToSet.isEmpty)
    }

    @Test func aReminderIsAnInternalTransitionThatKeepsTimers() throws {
        let definition = try exchange()
        let draft = InstanceSnapshot.start(definition, at: now)
        let outcome = try #require(step(definition, draft, "draft-reminder", by: .system("timer")).outcome)
        #expect(outcome.kind == .internalTransition)
        #expect(outcome.to == "draft")
        #expect(outcome.timersToCancel.isEmpty && outcome.timersToSet.isEmpty)
        #expect(outcome.tasksToEnqueue.map(\.name) == ["send-reminder"])
        #expect(outcome.snapshot.enteredAt == now)
    }

    @Test func anEventTheStateDoesNotTakeIsRejected() throws {
        let rejection = try #require(step(try exchange(), InstanceSnapshot(state: "draft", enteredAt: now), "accept", by: manager).rejection)
        #expect(rejection.code == .eventNotAllowed)
        #expect(rejection.message.contains("takes no event 'accept'"))
    }

    @Test func aMissingRoleIsRejected() throws {
        let rejection = try #require(step(try exchange(), InstanceSnapshot(state: "screening", enteredAt: now), "accept", by: official).rejection)
        #expect(rejection.code == .roleMissing)
        #expect(rejection.message.contains("program-manager"))
    }

    @Test func aPersonCannotFireASystemEventNorTheSystemAPersonsEvent() throws {
        let definition = try exchange()
        let matching = InstanceSnapshot(state: "matching", enteredAt: now)
        #expect(step(definition, matching, "matches-found", by: manager).rejection?.code == .systemOnly)
        #expect(step(definition, InstanceSnapshot(state: "screening", enteredAt: now), "accept", by: .system()).rejection?.code == .roleMissing)
    }

    @Test func aFalseGuardIsRejectedAndATrueOneTaken() throws {
        let definition = try exchange()
        let selection = InstanceSnapshot(state: "partner-selection", enteredAt: now)
        let no = ClosureGuardEvaluator { reference, _, _ in reference.name != "partner-selected" }
        let rejection = try #require(step(definition, selection, "select-partner", by: official, guards: no).rejection)
        #expect(rejection.code == .guardFalse)
        #expect(rejection.message.contains("partner-selected"))
        let outcome = try #require(step(definition, selection, "select-partner", by: official).outcome)
        #expect(outcome.to == "partner-confirmation")
        #expect(outcome.tasksToEnqueue.map(\.name) == ["invite-partner"])
    }

    @Test func guardsSeeTheirParametersTheSnapshotAndTheEvent() throws {
        let definition = try exchange()
        let implementation = InstanceSnapshot(state: "implementation", enteredAt: now, context: InstanceContext(values: ["report": "uploaded"]))
        let evaluator = ClosureGuardEvaluator { reference, snapshot, event in
            reference.name == "has-document" && reference.arguments["kind"] == "results-report"
                && snapshot.context.values["report"] == "uploaded" && event.payload["document"] == "r-1"
        }
        let result = WorkflowMachine.step(definition: definition, snapshot: implementation,
                                          event: WorkflowEvent("submit-report", payload: ["document": "r-1"]),
                                          actor: official, now: now, guards: evaluator)
        #expect(result.outcome?.to == "results-review")
    }

    @Test func thePartnerMayDeclineBackToSelection() throws {
        let outcome = try #require(step(try exchange(), InstanceSnapshot(state: "partner-confirmation", enteredAt: now), "decline-invitation", by: partner).outcome)
        #expect(outcome.to == "partner-selection")
    }

    @Test func aFinalStateTakesNoEvents() throws {
        let rejection = try #require(step(try exchange(), InstanceSnapshot(state: "closed", enteredAt: now), "submit", by: official).rejection)
        #expect(rejection.code == .eventNotAllowed)
    }

    @Test func anUnknownStateIsRejected() throws {
        #expect(step(try exchange(), InstanceSnapshot(state: "limbo", enteredAt: now), "submit", by: official).rejection?.code == .unknownState)
    }
}

@Suite("Approvals")
struct ApprovalTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let author = WorkflowActor.person("olu", roles: ["official", "fund-approver"])
    let ann = WorkflowActor.person("ann", roles: ["fund-approver"])
    let bob = WorkflowActor.person("bob", roles: ["fund-approver"])
    let fay = WorkflowActor.person("fay", roles: ["finance-officer"])
    let fin = WorkflowActor.person("fin", roles: ["finance-officer", "fund-approver"])

    func review(amount minorUnits: Int64) -> InstanceSnapshot {
        InstanceSnapshot(state: "funding-review", enteredAt: now,
                         context: InstanceContext(amounts: ["grant": Money(minorUnits: minorUnits, currency: Currency(code: "USD")!)]),
                         firedBy: ["submit-plan": ["olu"]])
    }

    func vote(_ snapshot: InstanceSnapshot, _ event: String, by actor: WorkflowActor) throws -> StepResult {
        WorkflowMachine.step(definition: try Fixtures.shipped("knowledge-exchange"), snapshot: snapshot,
                             event: WorkflowEvent(event), actor: actor, now: now, guards: ClosureGuardEvaluator.alwaysTrue)
    }

    @Test func oneApprovalSufficesAtOrBelowTheThreshold() throws {
        let outcome = try #require(try vote(review(amount: 5_000_000), "approve-grant", by: ann).outcome)
        #expect(outcome.kind == .transition)
        #expect(outcome.takenEvent == "grant-approved")
        #expect(outcome.to == "disbursement")
        #expect(outcome.vote == ApprovalVote(approval: "grant", actorID: "ann", decision: .approve, at: now))
        #expect(outcome.tasksToEnqueue.map(\.name) == ["commit-funds"])
        #expect(outcome.timersToCancel.map(\.rawValue) == ["funding-review/0/funding-overdue"])
    }

    @Test func aboveTheThresholdTwoDistinctApproversAreNeeded() throws {
        let first = try #require(try vote(review(amount: 5_000_001), "approve-grant", by: ann).outcome)
        #expect(first.kind == .voteRecorded)
        #expect(first.message == "approval recorded, waiting for 1 more")
        #expect(first.to == "funding-review")
        #expect(first.snapshot.votes.count == 1)
        #expect(first.timersToSet.isEmpty && first.timersToCancel.isEmpty)

        let again = try #require(try vote(first.snapshot, "approve-grant", by: ann).rejection)
        #expect(again.code == .alreadyVoted)

        let second = try #require(try vote(first.snapshot, "approve-grant", by: bob).outcome)
        #expect(second.to == "disbursement")
        #expect(second.snapshot.votes.isEmpty)
    }

    @Test func anUnknownAmountNeedsTheLargerQuorum() throws {
        let snapshot = InstanceSnapshot(state: "funding-review", enteredAt: now, firedBy: ["submit-plan": ["olu"]])
        #expect(try vote(snapshot, "approve-grant", by: ann).outcome?.kind == .voteRecorded)
        var euro = review(amount: 1)
        euro.context.amounts["grant"] = Money(minorUnits: 1, currency: Currency(code: "EUR")!)
        #expect(try vote(euro, "approve-grant", by: ann).outcome?.kind == .voteRecorded)
    }

    @Test func thePlansAuthorMayNotApprove() throws {
        let rejection = try #require(try vote(review(amount: 100), "approve-grant", by: author).rejection)
        #expect(rejection.code == .approverNotDistinct)
        #expect(rejection.message.contains("submit-plan"))
    }

    @Test func oneRejectionRejects() throws {
        let first = try #require(try vote(review(amount: 9_000_000), "approve-grant", by: ann).outcome)
        let outcome = try #require(try vote(first.snapshot, "reject-grant", by: bob).outcome)
        #expect(outcome.takenEvent == "grant-rejected")
        #expect(outcome.to == "planning")
    }

    @Test func votersNeedTheRole() throws {
        #expect(try vote(review(amount: 100), "approve-grant", by: fay).rejection?.code == .roleMissing)
        #expect(try vote(review(amount: 100), "approve-grant", by: .system()).rejection?.code == .roleMissing)
    }

    @Test func whoApprovedTheGrantMayNotDisburseIt() throws {
        let approved = try #require(try vote(review(amount: 100), "approve-grant", by: fin).outcome)
        #expect(approved.to == "disbursement")
        let refused = try #require(try vote(approved.snapshot, "disburse", by: fin).rejection)
        #expect(refused.code == .approverNotDistinct)
        let paid = try #require(try vote(approved.snapshot, "disburse", by: fay).outcome)
        #expect(paid.to == "payment-pending")
        #expect(paid.tasksToEnqueue.map(\.name) == ["export-payment-instruction", "reconcile-bank-status"])
    }

    @Test func theGrantWorkflowHasThreeTiers() throws {
        let approval = try #require(try Fixtures.shipped("grant").state("approval")?.approvals.first)
        #expect(approval.requiredApprovals(for: Money(minorUnits: 2_500_000, currency: Currency(code: "USD")!)) == 1)
        #expect(approval.requiredApprovals(for: Money(minorUnits: 2_500_001, currency: Currency(code: "USD")!)) == 2)
        #expect(approval.requiredApprovals(for: Money(minorUnits: 10_000_001, currency: Currency(code: "USD")!)) == 3)
    }
}
