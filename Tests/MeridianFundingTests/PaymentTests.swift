import MeridianCodes
import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianFunding
import MeridianWorkflow
import MeridianXML
import PostgresNIO
import Testing

@Suite("Disbursements and payment files")
struct PaymentTests {
    /// `count` exchanges approved (one approver each) and ready for disbursement.
    private func approved(_ fixture: FundingFixture, count: Int, grant: Int64 = 100_050) async throws -> [UUID] {
        var exchanges: [UUID] = []
        for _ in 0..<count {
            let exchange = try await fixture.exchangeInFundingReview(grant: grant)
            let outcome = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa1")))
            #expect(outcome.to == "disbursement")
            exchanges.append(exchange)
        }
        return exchanges
    }

    private func disburse(_ fixture: FundingFixture, _ exchange: UUID, key: String? = nil) async throws -> Disbursements.Result {
        let grant = try await fixture.grant(of: exchange)
        return try await Disbursements(engine: fixture.engine, logger: fixture.logger).disburse(DisbursementRequest(
            grantID: grant.id, beneficiary: "Ministry of Water & Sanitation <Kenya>", account: try BankAccount.local(number: "0123456789", bankCode: "KCB01"),
            actor: FundingFixture.finance("fo1"), idempotencyKey: key))
    }

    @Test("a retried disbursement never pays twice")
    func idempotentDisbursement() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000_000)
            let exchange = try await approved(fixture, count: 1)[0]
            let first = try await disburse(fixture, exchange, key: "req-1")
            let retry = try await disburse(fixture, exchange, key: "req-1")
            let otherKey = try await disburse(fixture, exchange, key: "req-2")
            let noKey = try await disburse(fixture, exchange)
            #expect(!first.replayed && retry.replayed && otherKey.replayed && noKey.replayed)
            #expect(Set([first, retry, otherKey, noKey].map(\.instruction.id)).count == 1)
            let instructions = try await PaymentStore.list(client: fixture.client, logger: fixture.logger)
            #expect(instructions.count == 1)
            let statement = try await fixture.statement()
            #expect(statement.inPayment == .usd(100_050) && statement.committed == .usd(0))
        }
    }

    @Test("pain.001: valid against the XSD, group header count and control sum right, one unique end-to-end id per instruction")
    func pain001() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            for exchange in try await approved(fixture, count: 3) { _ = try await disburse(fixture, exchange) }
            let export = PaymentExport(client: fixture.client, logger: fixture.logger)
            let exported = try #require(try await export.export())
            try StandardSchemas.pain001().validate(exported.xml, what: "the exported file")
            let root = try HardenedXMLParser().parseTree(Array(exported.xml.utf8))
            let header = try #require(root.child("CstmrCdtTrfInitn")?.child("GrpHdr"))
            #expect(header.text(at: ["NbOfTxs"]) == "3")
            #expect(header.text(at: ["CtrlSum"]) == "3001.50")
            let ids = root.descendants("EndToEndId").map(\.text)
            #expect(ids.count == 3 && Set(ids).count == 3)
            #expect(root.descendants("InstdAmt").allSatisfy { $0.text == "1000.50" && $0.attributes["Ccy"] == "USD" })
            #expect(exported.xml.contains("Ministry of Water &amp; Sanitation &lt;Kenya&gt;"))
            // Exported instructions are not exported again.
            #expect(try await export.export() == nil)
            let statuses = try await PaymentStore.list(client: fixture.client, logger: fixture.logger).map(\.status)
            #expect(statuses == [.exported, .exported, .exported])
        }
    }

    @Test("export → bank status report → reconcile: paid moves the exchange on; a failed payment returns the money and the inbox item")
    func roundTrip() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            let exchanges = try await approved(fixture, count: 2)
            for exchange in exchanges { _ = try await disburse(fixture, exchange) }
            let exported = try #require(try await PaymentExport(client: fixture.client, logger: fixture.logger).export())
            let payments = exported.batch.payments
            let firstGrant = try await fixture.grant(of: exchanges[0])
            let paid = try #require(payments.first { $0.grantID == firstGrant.id })
            let failed = try #require(payments.first { $0.id != paid.id })
            let report = BankReports.pain002(original: exported.batch.messageID, [(paid.endToEndID, "ACSC", nil), (failed.endToEndID, "RJCT", "AC04")])
            let reconciler = Reconciler(engine: fixture.engine, logger: fixture.logger)
            let changes = try await reconciler.apply(try Pain002Reader.read(Array(report.utf8)), by: "fo2")
            #expect(changes.map(\.to).sorted { $0.rawValue < $1.rawValue } == [.failed, .paid])
            #expect(try await fixture.state(exchanges[0]) == "implementation")
            #expect(try await fixture.state(exchanges[1]) == "disbursement")
            let statement = try await fixture.statement()
            #expect(statement.disbursed == .usd(100_050) && statement.committed == .usd(100_050) && statement.inPayment == .usd(0))
            let failedNow = try await PaymentStore.find(failed.endToEndID, client: fixture.client, logger: fixture.logger)
            #expect(failedNow.status == .failed && failedNow.failureReason == "AC04")
            // The same report again changes nothing.
            let again = try await reconciler.apply(try Pain002Reader.read(Array(report.utf8)), by: "fo2")
            #expect(again.allSatisfy { $0.note.contains("nothing changed") })
            // Back in the finance officers' inbox: the disbursement approval starts afresh, and a new instruction pays it
            // (without a key: the failed instruction is not "the first outcome" of a retry).
            let retry = try await disburse(fixture, exchanges[1])
            #expect(!retry.replayed && retry.instruction.id != failed.id)
            #expect(try await fixture.state(exchanges[1]) == "payment-pending")
            try await fixture.markPaid(retry.instruction.endToEndID)
            #expect(try await fixture.statement().disbursed == .usd(200_100))
            #expect(try await fixture.balanceRows() == fixture.entrySums())
            #expect(try await fixture.unbalancedTransactions() == 0)
        }
    }

    @Test("a status report naming an unknown payment changes nothing")
    func unknownEndToEnd() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            let exchange = try await approved(fixture, count: 1)[0]
            let instruction = try await disburse(fixture, exchange).instruction
            let exported = try #require(try await PaymentExport(client: fixture.client, logger: fixture.logger).export())
            let report = BankReports.pain002(original: exported.batch.messageID, [(instruction.endToEndID, "ACSC", nil), ("MNOSUCHPAYMENT", "ACSC", nil)])
            let error = try await #require(throws: FundingError.self) {
                _ = try await Reconciler(engine: fixture.engine, logger: fixture.logger).apply(try Pain002Reader.read(Array(report.utf8)), by: "fo2")
            }
            #expect(error.code == .notFound && error.message.contains("MNOSUCHPAYMENT"), "\(error)")
            #expect(try await fixture.state(exchange) == "payment-pending")
            #expect(try await fixture.statement().inPayment == .usd(100_050))
        }
    }

    @Test("a whole file rejected by the bank (group status RJCT, no transactions) fails each of its payments")
    func groupRejection() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            let exchanges = try await approved(fixture, count: 2)
            for exchange in exchanges { _ = try await disburse(fixture, exchange) }
            let exported = try #require(try await PaymentExport(client: fixture.client, logger: fixture.logger).export())
            let report = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
                  <GrpHdr><MsgId>BANK-2</MsgId><CreDtTm>2026-11-29T10:00:00</CreDtTm></GrpHdr>
                  <OrgnlGrpInfAndSts><OrgnlMsgId>\(exported.batch.messageID)</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>
                    <GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>FF01</Cd></Rsn></StsRsnInf></OrgnlGrpInfAndSts>
                </CstmrPmtStsRpt></Document>
                """
            let changes = try await Reconciler(engine: fixture.engine, logger: fixture.logger).apply(try Pain002Reader.read(Array(report.utf8)), by: "fo2")
            #expect(changes.count == 2 && changes.allSatisfy { $0.to == .failed && $0.event == "payment-failed" })
            for exchange in exchanges { #expect(try await fixture.state(exchange) == "disbursement") }
            let statement = try await fixture.statement()
            #expect(statement.committed == .usd(200_100) && statement.inPayment == .usd(0))
        }
    }

    @Test("the control sum adds amounts of any currencies exactly")
    func controlSum() throws {
        let amounts = [Money.usd(100_050), Money(minorUnits: 1_500, currency: try Currency.named("JPY")), Money(minorUnits: 1_005, currency: try Currency.named("KWD"))]
        #expect(PaymentBatch.controlSum(amounts) == "2501.505")
        #expect(PaymentBatch.controlSum([.usd(1), .usd(2)]) == "0.03")
    }

    @Test("hostile status reports are refused before anything is read")
    func hostileReports() throws {
        let doctype = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x \"y\">]><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\">&x;</Document>"
        #expect(throws: FundingError.self) { try Pain002Reader.read(Array(doctype.utf8)) }
        let deep = String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200)
        #expect(throws: FundingError.self) { try Pain002Reader.read(Array(deep.utf8)) }
        let other = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"/>"
        #expect(throws: FundingError.self) { try Pain002Reader.read(Array(other.utf8)) }
        #expect(throws: FundingError.self) { try Pain002Reader.read(Array("<Document".utf8)) }
        let big = Array(repeating: UInt8(ascii: " "), count: 100) + Array("<x/>".utf8)
        #expect(throws: FundingError.self) { try Pain002Reader.read(big, limits: XMLLimits(maxBytes: 50)) }
    }
}
