import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianFunding
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("Separation of duties")
struct SeparationOfDutiesTests {
    @Test("the plan's author may not approve its grant (engine rule from the definition)")
    func planAuthorMayNotApprove() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            let author = WorkflowActor.person("off", roles: ["official", "fund-approver"])
            let exchange = try await fixture.exchangeInFundingReview(grant: 100_000, official: author)
            let outcome = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: author))
            #expect(outcome.rejectionCode == "approver-not-distinct")
            #expect(try await fixture.state(exchange) == "funding-review")
        }
    }

    @Test("whoever filed the request may not approve its grant (funding rule, refused in the step)")
    func requesterMayNotApprove() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            // "off" files the request, "off2" writes the plan; "off" also holds fund-approver.
            let exchange = try await fixture.exchangeInFundingReview(grant: 100_000, planAuthor: .person("off2", roles: ["official"]))
            do {
                _ = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: .person("off", roles: ["fund-approver"])))
                Issue.record("the requester approved their own grant")
            } catch let error as FundingError {
                #expect(error.code == .refused && error.message.contains("filed the exchange request"))
            }
            #expect(try await fixture.state(exchange) == "funding-review")
            #expect(try await fixture.statement().committed == .usd(0))
        }
    }

    @Test("above 50,000 USD two distinct approvers are needed; the second vote commits")
    func quorumByAmount() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            let exchange = try await fixture.exchangeInFundingReview(grant: 6_000_000)
            let first = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa1")))
            #expect(first.to == "funding-review")
            #expect(try await fixture.statement().committed == .usd(0))
            let again = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa1")))
            #expect(again.rejectionCode == "already-voted")
            let second = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa2")))
            #expect(second.to == "disbursement")
            #expect(try await fixture.statement().committed == .usd(6_000_000))
        }
    }

    @Test("a grant above the fund's maximum is refused when the plan is submitted")
    func maximumPerGrant() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 100_000_000)
            let error = try await #require(throws: FundingError.self) {
                _ = try await fixture.exchangeInFundingReview(grant: 15_000_001)
            }
            #expect(error.code == .refused && error.message.contains("more than the 150,000.00 USD a grant from rapid may be"), "\(error)")
        }
    }

    @Test("disbursing: not by an approver, not by the plan's author, only by a finance officer; later instalments too, and only after results")
    func disbursers() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            let exchange = try await fixture.exchangeInFundingReview(grant: 1_000_000, instalments: [70, 30])
            _ = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: .person("fa1", roles: ["fund-approver", "finance-officer"])))
            let grant = try await fixture.grant(of: exchange)
            let disbursements = Disbursements(engine: fixture.engine, logger: fixture.logger)
            let account = try BankAccount.iban("GB82 WEST 1234 5698 7654 32")
            func request(_ actor: WorkflowActor, instalment: Int = 1) -> DisbursementRequest {
                DisbursementRequest(grantID: grant.id, instalment: instalment, beneficiary: "Ministry of Water", account: account, actor: actor)
            }
            let approverError = try await #require(throws: FundingError.self) {
                _ = try await disbursements.disburse(request(.person("fa1", roles: ["fund-approver", "finance-officer"])))
            }
            #expect(approverError.code == .refused && approverError.message.contains("fa1 voted to approve the grant and so may not disburse it"), "\(approverError)")
            let authorError = try await #require(throws: FundingError.self) {
                _ = try await disbursements.disburse(request(.person("off", roles: ["official", "finance-officer"])))
            }
            #expect(authorError.code == .refused && authorError.message.contains("off submitted the plan and so may not disburse it"), "\(authorError)")
            do {
                _ = try await disbursements.disburse(request(.person("nobody", roles: ["fund-approver"])))
                Issue.record("a person without finance-officer disbursed")
            } catch let error as FundingError {
                #expect(error.code == .permission)
            }
            let first = try await disbursements.disburse(request(FundingFixture.finance("fo1")))
            #expect(first.instruction.amount == .usd(700_000) && first.instruction.status == .pending)
            #expect(try await fixture.state(exchange) == "payment-pending")
            try await fixture.markPaid(first.instruction.endToEndID, by: "fo2")
            #expect(try await fixture.state(exchange) == "implementation")
            // The second instalment is paid after results: refused while the report is not in.
            do {
                _ = try await disbursements.disburse(request(FundingFixture.finance("fo2"), instalment: 2))
                Issue.record("the instalment after results was paid before the results report")
            } catch let error as FundingError {
                #expect(error.code == .refused && error.message.contains("after results"))
            }
            let report = try await fixture.engine.fire(FireRequest(instanceID: exchange, event: "submit-report",
                                                                   data: ["document.results-report": .string("report-1")], actor: FundingFixture.official))
            #expect(report.status == .applied && report.to == "results-review")
            // The second instalment is outside the workflow's approval: the funding module checks the same rules.
            let laterError = try await #require(throws: FundingError.self) {
                _ = try await disbursements.disburse(request(.person("fa1", roles: ["finance-officer"]), instalment: 2))
            }
            #expect(laterError.code == .refused && laterError.message.contains("fa1 voted to approve the grant"), "\(laterError)")
            let second = try await disbursements.disburse(request(FundingFixture.finance("fo2"), instalment: 2))
            #expect(second.instruction.amount == .usd(300_000))
            try await fixture.markPaid(second.instruction.endToEndID, by: "fo1")
            #expect(try await fixture.grant(of: exchange).status == .closed)
            let statement = try await fixture.statement()
            #expect(statement.disbursed == .usd(1_000_000) && statement.committed == .usd(0) && statement.inPayment == .usd(0))
            #expect(try await fixture.balanceRows() == fixture.entrySums())
        }
    }
}
