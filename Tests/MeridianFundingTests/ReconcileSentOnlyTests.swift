import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianFunding
import MeridianTestSupport
import Testing

/// A bank's status report applies only to payments that went to the bank in the file it
/// answers: one naming a payment never exported, or one exported in another file, is refused
/// whole, with the reason, and changes nothing.
@Suite("Reconciling only what was sent")
struct ReconcileSentOnlyTests {
    private func refusal(_ fixture: FundingFixture, _ report: String) async -> FundingError? {
        do {
            _ = try await Reconciler(engine: fixture.engine, logger: fixture.logger).apply(try Pain002Reader.read(Array(report.utf8)), by: "fo2")
            return nil
        } catch let error as FundingError {
            return error
        } catch {
            Issue.record("not a FundingError: \(error)")
            return nil
        }
    }

    @Test("a report naming a still-pending payment is refused, and nothing of it applied")
    func pendingPaymentRefused() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            let sent = try await fixture.pendingPayments(count: 1)[0]
            let exported = try #require(try await PaymentExport(client: fixture.client, logger: fixture.logger).export())
            let unsent = try await fixture.pendingPayments(count: 1)[0]
            let before = try await TableFingerprint.take(fixture.database)

            let report = BankReports.pain002(original: exported.batch.messageID, [(sent.endToEndID, "ACSC", nil), (unsent.endToEndID, "ACSC", nil)])
            let error = await refusal(fixture, report)
            #expect(error?.code == .conflict)
            #expect(error?.message == "the report names the payment \(unsent.endToEndID), which is pending: it was never exported in a pain.001 file, "
                    + "so the bank cannot have received it; nothing of the report was applied", "\(String(describing: error))")
            #expect(try await TableFingerprint.take(fixture.database).changes(since: before) == [])
            let statuses = try await PaymentStore.list(client: fixture.client, logger: fixture.logger).map(\.status)
            #expect(statuses == [.exported, .pending])
        }
    }

    @Test("a report whose OrgnlMsgId is not the file that carried the payment is refused, and nothing of it applied")
    func otherFileRefused() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            let export = PaymentExport(client: fixture.client, logger: fixture.logger)
            let first = try await fixture.pendingPayments(count: 1)[0]
            let firstFile = try #require(try await export.export()).batch.messageID
            let second = try await fixture.pendingPayments(count: 1)[0]
            let secondFile = try #require(try await export.export()).batch.messageID
            let before = try await TableFingerprint.take(fixture.database)

            let report = BankReports.pain002(original: secondFile, [(second.endToEndID, "ACSC", nil), (first.endToEndID, "RJCT", "AC04")])
            let error = await refusal(fixture, report)
            #expect(error?.code == .conflict)
            #expect(error?.message == "the report answers the file \(secondFile), but the payment \(first.endToEndID) went to the bank in the file "
                    + "\(firstFile); nothing of the report was applied", "\(String(describing: error))")
            #expect(try await TableFingerprint.take(fixture.database).changes(since: before) == [])

            // The right report for each file applies.
            let right = BankReports.pain002(original: firstFile, [(first.endToEndID, "ACSC", nil)])
            let changes = try await Reconciler(engine: fixture.engine, logger: fixture.logger).apply(try Pain002Reader.read(Array(right.utf8)), by: "fo2")
            #expect(changes.map(\.to) == [.paid])
        }
    }
}
