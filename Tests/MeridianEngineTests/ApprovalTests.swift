import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianEngine
import MeridianPostgres
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("Approvals")
struct ApprovalTests {
    /// An instance of `review` waiting for approvals, submitted by alice.
    private func submitted(_ fixture: EngineFixture, quorum: Int = 9, context: [String: JSONValue] = [:]) async throws -> UUID {
        try await fixture.deploy(Definitions.review(quorum: quorum))
        let instance = try await fixture.engine.start(workflow: "review", context: context)
        let outcome = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author("alice")))
        #expect(outcome.to == "approval")
        return instance.id
    }

    @Test("50 concurrent approvals: each distinct approver counted once, exactly one transition")
    func fiftyConcurrentApprovals() async throws {
        try await EngineFixture.with { fixture in
            let id = try await submitted(fixture, quorum: 9)
            let engine = fixture.engine
            // 25 people approve twice each, all at once.
            let outcomes = try await withThrowingTaskGroup(of: FireOutcome.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        try await engine.fire(FireRequest(instanceID: id, event: "approve", actor: .approver("approver-\(index % 25)")))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let applied = outcomes.filter { $0.status == .applied }
            #expect(applied.count == 9)
            #expect(applied.filter { $0.from == "approval" && $0.to == "checking" }.count == 1)
            #expect(outcomes.filter { $0.status == .rejected }.allSatisfy { ["already-voted", "event-not-allowed"].contains($0.rejectionCode) })
            let instance = try await engine.instance(id)
            #expect(instance.state == "checking")
            let history = try await engine.history(of: id)
            let voters = history.filter { !$0.vote.isEmpty }.map(\.actorID)
            #expect(voters.count == 9 && Set(voters).count == 9)
            #expect(history.filter { $0.from == "approval" && $0.to == "checking" }.count == 1)
            #expect(try await fixture.count("engine_votes") == 9)
        }
    }

    @Test("whoever submitted may not approve (separation of duties), and nobody votes twice")
    func separationOfDuties() async throws {
        try await EngineFixture.with { fixture in
            let id = try await submitted(fixture, quorum: 2)
            let selfApproval = try await fixture.engine.fire(FireRequest(instanceID: id, event: "approve", actor: .person("alice", roles: ["approver", "author"])))
            #expect(selfApproval.rejectionCode == "approver-not-distinct")
            let first = try await fixture.engine.fire(FireRequest(instanceID: id, event: "approve", actor: .approver("bob")))
            #expect(first.status == .applied && first.to == "approval")
            let twice = try await fixture.engine.fire(FireRequest(instanceID: id, event: "approve", actor: .approver("bob")))
            #expect(twice.rejectionCode == "already-voted")
            let second = try await fixture.engine.fire(FireRequest(instanceID: id, event: "approve", actor: .approver("carol")))
            #expect(second.to == "checking")
        }
    }

    @Test("one rejection fires the rejected event, and every vote is in the history")
    func oneRejection() async throws {
        try await EngineFixture.with { fixture in
            let id = try await submitted(fixture, quorum: 3)
            _ = try await fixture.engine.fire(FireRequest(instanceID: id, event: "approve", actor: .approver("bob")))
            let rejection = try await fixture.engine.fire(FireRequest(instanceID: id, event: "reject", actor: .approver("carol")))
            #expect(rejection.status == .applied && rejection.to == "draft")
            let votes = try await fixture.engine.history(of: id).filter { !$0.vote.isEmpty }.map { "\($0.actorID) \($0.vote)" }
            #expect(votes == ["bob review:approve", "carol review:reject"])
        }
    }

    @Test("a larger quorum applies above an amount")
    func quorumAboveAmount() async throws {
        let definition = Definitions.review(quorum: 1).replacingOccurrences(
            of: #"<distinct-from event="submit"/>"#,
            with: #"<quorum-above amount="2500000" currency="USD" count="2"/><distinct-from event="submit"/>"#
        ).replacingOccurrences(of: #"quorum="1" on-approved"#, with: #"quorum="1" amount="grant" on-approved"#)
        try await EngineFixture.with { fixture in
            try await fixture.deploy(definition)
            for (minor, expectedVotes) in [(Int64(1_000_000), 1), (Int64(7_500_000), 2)] {
                let context: [String: JSONValue] = ["amounts": .object(["grant": .object(["minor_units": .integer(minor), "currency": .string("USD")])])]
                let instance = try await fixture.engine.start(workflow: "review", context: context)
                _ = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author()))
                var votes = 0
                for approver in ["bob", "carol", "dave"] where try await fixture.engine.instance(instance.id).state == "approval" {
                    _ = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "approve", actor: .approver(approver)))
                    votes += 1
                }
                #expect(votes == expectedVotes, "amount \(minor)")
                #expect(try await fixture.engine.instance(instance.id).state == "checking")
            }
        }
    }
}
