import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianFunding
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("Grant lifecycle")
struct GrantLifecycleTests {
    @Test("a held payment releases the commitment; approving again commits it again")
    func holdReleasesCommitment() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000_000)
            let exchange = try await fixture.exchangeInFundingReview(grant: 400_000)
            _ = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa1")))
            #expect(try await fixture.statement().committed == .usd(400_000))
            let held = try await fixture.engine.fire(.init(instanceID: exchange, event: "hold-payment", actor: FundingFixture.finance("fo1")))
            #expect(held.to == "funding-review")
            var statement = try await fixture.statement()
            #expect(statement.committed == .usd(0) && statement.available == .usd(1_000_000))
            #expect(try await fixture.grant(of: exchange).status == .released)
            // Fresh votes on re-entry: fa1 may vote again.
            let again = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa1")))
            #expect(again.to == "disbursement")
            statement = try await fixture.statement()
            #expect(statement.committed == .usd(400_000) && statement.available == .usd(600_000))
            #expect(try await fixture.balanceRows() == fixture.entrySums())
        }
    }

    @Test("a vote with an idempotency key counts once: deciding again with the key returns the first outcome")
    func voteWithKeyOnce() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            let exchange = try await fixture.exchangeInFundingReview(grant: 6_000_000)  // above 50,000 USD: two approvers
            let grant = try await fixture.grant(of: exchange)
            let decisions = GrantDecisions(engine: fixture.engine, logger: fixture.logger)
            let first = try await decisions.decide(grant, approve: true, actor: FundingFixture.approver("fa1"), comment: nil, idempotencyKey: "vote-fa1")
            let again = try await decisions.decide(grant, approve: true, actor: FundingFixture.approver("fa1"), comment: nil, idempotencyKey: "vote-fa1")
            #expect(first.status == .applied && !first.replayed && again.replayed && again.version == first.version)
            #expect(try await fixture.state(exchange) == "funding-review")
            #expect(try await fixture.statement().committed == .usd(0))
            let second = try await decisions.decide(grant, approve: true, actor: FundingFixture.approver("fa2"), comment: nil, idempotencyKey: "vote-fa2")
            #expect(second.to == "disbursement")
            #expect(try await fixture.statement().committed == .usd(6_000_000))
        }
    }

    @Test("cancelling an exchange after its first instalment returns the unpaid rest to the fund")
    func cancelReleasesTheRest() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000_000)
            let exchange = try await fixture.exchangeInFundingReview(grant: 400_000, instalments: [70, 30])
            _ = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa1")))
            let grant = try await fixture.grant(of: exchange)
            let first = try await Disbursements(engine: fixture.engine, logger: fixture.logger).disburse(DisbursementRequest(
                grantID: grant.id, beneficiary: "Ministry of Water", account: try BankAccount.iban("GB82 WEST 1234 5698 7654 32"),
                actor: FundingFixture.finance("fo1")))
            try await fixture.markPaid(first.instruction.endToEndID)
            #expect(try await fixture.state(exchange) == "implementation")
            #expect(try await fixture.statement().committed == .usd(120_000))
            let cancelled = try await fixture.engine.fire(.init(instanceID: exchange, event: "cancel", actor: FundingFixture.manager))
            #expect(cancelled.to == "cancelled")
            let statement = try await fixture.statement()
            #expect(statement.committed == .usd(0) && statement.disbursed == .usd(280_000) && statement.available == .usd(720_000))
            #expect(try await fixture.grant(of: exchange).status == .cancelled)
            #expect(try await fixture.balanceRows() == fixture.entrySums())
        }
    }

    @Test("a grant is found by its id, an id prefix of eight or more digits, or its exchange's id")
    func findGrant() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000_000)
            let exchange = try await fixture.exchangeInFundingReview(grant: 400_000)
            let queries = GrantQueries(client: fixture.client, logger: fixture.logger)
            let grant = try await queries.find(exchange.uuidString)
            let id = grant.id.uuidString.lowercased()
            #expect(try await queries.find(id).id == grant.id)
            #expect(try await queries.find(String(id.prefix(8)).uppercased()).id == grant.id)
            for unknown in [String(id.prefix(7)), UUID().uuidString, "zzzzzzzzzz"] {
                await #expect(throws: FundingError.self) { _ = try await queries.find(unknown) }
            }
        }
    }

    @Test("a rejected grant commits nothing and is requested again when the plan is resubmitted")
    func rejectThenResubmit() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000_000)
            let exchange = try await fixture.exchangeInFundingReview(grant: 400_000)
            let grant = try await fixture.grant(of: exchange)
            let decisions = GrantDecisions(engine: fixture.engine, logger: fixture.logger)
            let rejected = try await decisions.decide(grant, approve: false, actor: FundingFixture.approver("fa1"), comment: "budget unclear")
            #expect(rejected.to == "planning")
            #expect(try await fixture.grant(of: exchange).status == .rejected)
            #expect(try await fixture.statement().committed == .usd(0))
            let resubmitted = try await fixture.engine.fire(.init(instanceID: exchange, event: "submit-plan", actor: FundingFixture.official,
                                                                  contextChanges: ["amounts": .object(["grant": .object(["minor_units": .integer(300_000), "currency": .string("USD")])])]))
            #expect(resubmitted.to == "funding-review")
            let again = try await fixture.grant(of: exchange)
            #expect(again.id == grant.id && again.status == .requested && again.amount == .usd(300_000))
            let approved = try await decisions.decide(again, approve: true, actor: FundingFixture.approver("fa2"), comment: nil)
            #expect(approved.to == "disbursement")
            #expect(try await fixture.statement().committed == .usd(300_000))
        }
    }

    @Test("a fund with too little money refuses the deciding vote with the amounts, and the vote is not recorded")
    func refusalMessage() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_200_000)
            let exchange = try await fixture.exchangeInFundingReview(grant: 1_500_000)
            do {
                _ = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa1")))
                Issue.record("the vote was accepted")
            } catch let error as FundingError {
                #expect(error.message == "the fund rapid has 12,000.00 USD available; this grant needs 15,000.00 USD")
            }
            let history = try await fixture.engine.history(of: exchange)
            #expect(!history.contains { $0.event == "approve-grant" })
            #expect(try await fixture.state(exchange) == "funding-review")
        }
    }
}
