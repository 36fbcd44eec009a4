import MeridianCodes
import Foundation
import MeridianWorkflow
import Testing

@Suite("Open actions: who acts next")
struct OpenActionsTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("withdraw and cancel are exits of the exchange, not work waiting; decisions are")
    func exitsOfTheExchange() throws {
        let exchange = try Fixtures.shipped("knowledge-exchange")
        #expect(exchange.exitEvents == ["withdraw", "cancel"])
        let screening = InstanceSnapshot(state: "screening", enteredAt: now)
        let forManager = exchange.openActions(in: screening, roles: ["program-manager"])
        #expect(forManager.map(\.event) == ["accept", "request-info", "decline"])
        #expect(exchange.openActions(in: screening, roles: ["official"]).isEmpty, "only withdrawing is open to the official")
        let review = InstanceSnapshot(state: "results-review", enteredAt: now)
        #expect(exchange.openActions(in: review, roles: ["program-manager"]).map(\.event) == ["accept-report", "request-revision"])
        #expect(exchange.openActions(in: InstanceSnapshot(state: "closed", enteredAt: now), roles: nil).isEmpty)
    }

    @Test("a vote is open until the person cast it, never to whoever fired an event it must be distinct from")
    func votes() throws {
        let exchange = try Fixtures.shipped("knowledge-exchange")
        var snapshot = InstanceSnapshot(state: "funding-review", enteredAt: now,
                                        context: InstanceContext(amounts: ["grant": Money(minorUnits: 6_000_000, currency: Currency(code: "USD")!)]),
                                        firedBy: ["submit-plan": ["olga"]])
        let open = exchange.openActions(in: snapshot, roles: ["fund-approver"], actorID: "fay")
        #expect(open.map(\.event) == ["approve-grant", "reject-grant"])
        #expect(open.first?.approvalsRequired == 2 && open.first?.approvalsSoFar == 0)
        #expect(exchange.openActions(in: snapshot, roles: ["fund-approver"], actorID: "olga").isEmpty, "the plan's author may not vote")
        snapshot.votes = [ApprovalVote(approval: "grant", actorID: "fay", decision: .approve, at: now)]
        #expect(exchange.openActions(in: snapshot, roles: ["fund-approver"], actorID: "fay").isEmpty, "fay voted already")
        let forOthers = exchange.openActions(in: snapshot, roles: ["fund-approver"], actorID: "gus")
        #expect(forOthers.first?.approvalsSoFar == 1)
        #expect(exchange.openActions(in: snapshot, roles: ["finance-officer"]).isEmpty)
    }
}
