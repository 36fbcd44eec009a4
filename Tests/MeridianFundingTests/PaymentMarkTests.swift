import MeridianCodes
import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianFunding
import PostgresNIO
import Testing

/// `payments mark`: only a payment that went to the bank, with a reason, confirmed by a
/// second finance officer unless the fund's policy says otherwise.
@Suite("Marking a payment by hand")
struct PaymentMarkTests {
    /// An approved exchange whose grant fo1 disbursed: its instruction is pending.
    private func disbursed(_ fixture: FundingFixture) async throws -> (exchange: UUID, instruction: PaymentInstruction) {
        let exchange = try await fixture.exchangeInFundingReview(grant: 500_000)
        _ = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa1")))
        let grant = try await fixture.grant(of: exchange)
        let result = try await Disbursements(engine: fixture.engine, logger: fixture.logger).disburse(DisbursementRequest(
            grantID: grant.id, beneficiary: "Ministry of Water", account: try BankAccount.iban("GB82 WEST 1234 5698 7654 32"),
            actor: FundingFixture.finance("fo1")))
        return (exchange, result.instruction)
    }

    private func refusal(_ body: () async throws -> Reconciler.Change) async -> FundingError? {
        do {
            _ = try await body()
            return nil
        } catch let error as FundingError {
            return error
        } catch {
            Issue.record("not a FundingError: \(error)")
            return nil
        }
    }

    /// Who marked the instruction, why, and its failure reason.
    private func marks(_ fixture: FundingFixture, _ instruction: PaymentInstruction) async throws -> [String?] {
        let rows = try await fixture.client.query("""
            SELECT marked_by, mark_reason, failure_reason FROM funding_payment_instructions WHERE id = \(instruction.id)
            """, logger: fixture.logger).collect()
        let (by, reason, failure) = try rows[0].decode((String?, String?, String?).self)
        return [by, reason, failure]
    }

    @Test("a pending payment cannot be marked; after export the disbursing officer may not confirm it, a second one does, with a reason")
    func secondPersonConfirmsExported() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000_000)
            let (exchange, instruction) = try await disbursed(fixture)
            let reconciler = Reconciler(engine: fixture.engine, logger: fixture.logger)
            let e2e = instruction.endToEndID
            let before = try await fixture.balanceRows()

            let pending = await refusal { try await reconciler.mark(e2e, .paid, reason: "the bank called", by: "fo2") }
            #expect(pending?.code == .conflict)
            #expect(pending?.message == "the payment \(e2e) is pending: it was never exported in a pain.001 file, so the bank cannot have paid it; nothing changed")
            #expect(try await fixture.balanceRows() == before)
            #expect(try await PaymentStore.find(e2e, client: fixture.client, logger: fixture.logger).status == .pending)
            #expect(try await fixture.state(exchange) == "payment-pending")

            _ = try await PaymentExport(client: fixture.client, logger: fixture.logger).export()
            let own = await refusal { try await reconciler.mark(e2e, .paid, reason: "the bank called", by: "fo1") }
            #expect(own?.code == .permission)
            #expect(own?.message == "fo1 disbursed the payment \(e2e) and so may not also confirm it (a second person confirms); nothing changed")
            let blank = await refusal { try await reconciler.mark(e2e, .paid, reason: "   ", by: "fo2") }
            #expect(blank?.code == .invalidInput && blank?.message == "marking a payment by hand needs a reason of 1 to 500 characters")
            #expect(try await fixture.balanceRows() == before)
            #expect(try await PaymentStore.find(e2e, client: fixture.client, logger: fixture.logger).status == .exported)

            let change = try await reconciler.mark(e2e, .paid, reason: "bank statement of the day", by: "fo2")
            #expect(change.from == .exported && change.to == .paid)
            #expect(try await marks(fixture, instruction) == ["fo2", "bank statement of the day", nil])
            #expect(try await fixture.state(exchange) == "implementation")
            #expect(try await fixture.statement().disbursed == .usd(500_000))
            // The same mark again changes nothing, whoever asks.
            let again = try await reconciler.mark(e2e, .paid, reason: "again", by: "fo1")
            #expect(again.note == "already paid, nothing changed")
            #expect(try await marks(fixture, instruction) == ["fo2", "bank statement of the day", nil])
        }
    }

    @Test("a fund whose policy allows it lets the disbursing officer mark the payment; the policy is off by default")
    func selfConfirmationByPolicy() async throws {
        try await FundingFixture.with { fixture in
            let usd = try Currency.named("USD")
            let fund = Fund(id: "rapid", name: "Rapid", currency: usd, donors: [], account: try BankAccount.iban("DE89 3704 0044 0532 0130 00"),
                            allowsSelfConfirmation: true, createdBy: "admin")
            try await fixture.funds.create(fund)
            _ = try await fixture.funds.contribute(fund: "rapid", donor: "Donor A", amount: .usd(1_000_000), receivedOn: try CalendarDay("2026-01-15"),
                                                   reference: "C-1", actorID: "admin")
            #expect(try await fixture.funds.fund("rapid").allowsSelfConfirmation)
            try await fixture.fund("other", contributed: 0)
            #expect(try await fixture.funds.fund("other").allowsSelfConfirmation == false)
            let (exchange, instruction) = try await disbursed(fixture)
            _ = try await PaymentExport(client: fixture.client, logger: fixture.logger).export()
            let change = try await Reconciler(engine: fixture.engine, logger: fixture.logger)
                .mark(instruction.endToEndID, .failed(reason: "account closed"), reason: "account closed", by: "fo1")
            #expect(change.to == .failed)
            #expect(try await marks(fixture, instruction) == ["fo1", "account closed", "account closed"])
            #expect(try await fixture.state(exchange) == "disbursement")
        }
    }
}
