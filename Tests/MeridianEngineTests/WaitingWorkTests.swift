import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianWorkflow
import Testing

@Suite("Waiting work")
struct WaitingWorkTests {
    @Test("instances wait for the roles that may act now, oldest stay first, with the stay's earliest timer as deadline")
    func inbox() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review(quorum: 2))
            let first = try await fixture.engine.start(workflow: "review")
            fixture.clock.advance(by: 60)
            let second = try await fixture.engine.start(workflow: "review")
            _ = try await fixture.engine.fire(FireRequest(instanceID: second.id, event: "submit", actor: .author("alice")))

            let authors = try await fixture.engine.waitingWork(roles: ["author"])
            #expect(authors.map(\.instanceID) == [first.id])
            let draft = try #require(authors.first)
            #expect(draft.state == "draft" && draft.actions.map(\.event) == ["submit"])
            // The draft's timer: P3D after the start.
            #expect(draft.deadline == first.createdAt.addingTimeInterval(3 * 86_400) && draft.deadlineEvent == "draft-expired")

            let approvers = try await fixture.engine.waitingWork(roles: ["approver"], actorID: "bob")
            let approval = try #require(approvers.first)
            #expect(approvers.count == 1 && approval.instanceID == second.id)
            #expect(approval.actions.first?.approvalsRequired == 2 && approval.deadlineEvent == "approval-overdue")
            // The author fired submit, so the approval's separation of duties hides the vote from her.
            #expect(try await fixture.engine.waitingWork(roles: ["approver"], actorID: "alice").isEmpty)
            _ = try await fixture.engine.fire(FireRequest(instanceID: second.id, event: "approve", actor: .approver("bob")))
            #expect(try await fixture.engine.waitingWork(roles: ["approver"], actorID: "bob").isEmpty, "bob voted")
            #expect(try await fixture.engine.waitingWork(roles: ["approver"], actorID: "carol").first?.actions.first?.approvalsSoFar == 1)
            // Everyone's view, one instance.
            #expect(try await fixture.engine.waitingWork(roles: nil, instances: [first.id]).count == 1)
        }
    }
}
