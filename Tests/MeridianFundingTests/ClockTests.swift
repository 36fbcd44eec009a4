import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianFunding
import MeridianWorkflow
import PostgresNIO
import Testing

/// Funding dates what it writes by the engine's clock, never the wall clock: a test moves
/// time and the ledger follows.
@Suite("Funding on the engine's clock")
struct ClockTests {
    @Test("commitment, release and payment instruction are dated by the engine's clock as it moves")
    func postingsFollowTheEngineClock() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_803_902_400))  // 2027-03-01 12:00 UTC
        try await FundingFixture.with(clock: clock) { fixture in
            try await fixture.fund(contributed: 1_000_000)
            let exchange = try await fixture.exchangeInFundingReview(grant: 400_000)
            _ = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa1")))
            clock.advance(by: 10 * 86_400)
            _ = try await fixture.engine.fire(.init(instanceID: exchange, event: "hold-payment", actor: FundingFixture.finance("fo1")))
            clock.advance(by: 5 * 86_400)
            _ = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa1")))
            let grant = try await fixture.grant(of: exchange)
            clock.advance(by: 30 * 86_400)
            let disbursed = try await Disbursements(engine: fixture.engine, logger: fixture.logger).disburse(DisbursementRequest(
                grantID: grant.id, beneficiary: "Ministry of Water", account: try BankAccount.iban("GB82 WEST 1234 5698 7654 32"),
                actor: FundingFixture.finance("fo1")))
            clock.advance(by: 86_400)
            try await fixture.markPaid(disbursed.instruction.endToEndID)

            let rows = try await fixture.client.query("""
                SELECT kind, value_date::text FROM funding_transactions WHERE grant_id = \(grant.id) ORDER BY id
                """, logger: fixture.logger).collect()
            let dated = try rows.map { try $0.decode((String, String).self) }
            #expect(dated.map(\.0) == ["commitment", "release", "commitment", "payment-instruction", "payment-paid"])
            #expect(dated.map(\.1) == ["2027-03-01", "2027-03-11", "2027-03-16", "2027-04-15", "2027-04-16"])
        }
    }
}
