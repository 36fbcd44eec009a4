import MeridianCodes
import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianFunding
import MeridianXML
import PostgresNIO
import Testing

@Suite("IATI export")
struct IATITests {
    static let publisher = IATIActivity.Organisation(ref: "XM-MERIDIAN", type: "40", name: "Meridian Knowledge Exchange Facility")

    @Test("an exchange activity with results and indicators validates against the IATI 2.03 schema")
    func writerWithResults() throws {
        let start = try CalendarDay("2026-02-01")
        let end = try CalendarDay("2026-12-31")
        let activity = IATIActivity(
            identifier: "XM-MERIDIAN-ex-1", reportingOrg: Self.publisher, title: "Water utility reform: Kenya learns from Uganda",
            description: "A study visit & two videoconferences <with> the partner's utility.",
            participants: [.init(role: 1, organisation: .init(ref: "XM-MERIDIAN", name: "Rapid Response Fund")),
                           .init(role: 4, organisation: .init(type: "10", name: "Government of KE"))],
            status: 2, dates: [.init(type: 1, day: start), .init(type: 3, day: end)], recipientCountry: "KE",
            sectors: [.init(code: "14010", percentage: 100)], defaultCurrency: try Currency.named("USD"),
            budgets: [.init(start: start, end: end, value: .usd(2_000_000), valueDate: start)],
            transactions: [.init(type: 2, date: start, value: .usd(1_500_000), description: "Grant approved"),
                           .init(type: 3, date: try CalendarDay("2026-03-01"), value: .usd(1_050_000), description: "First instalment")],
            results: [.init(type: 2, title: "Utilities collect more of what they bill",
                            indicators: [.init(title: "Collection efficiency", measure: 2, baselineYear: 2025, baselineValue: "62",
                                               periodStart: start, periodEnd: end, target: "80", actual: "71")])])
        let xml = IATIActivityWriter.write([activity])
        try StandardSchemas.iatiActivities().validate(xml, what: "the IATI file")
        let root = try HardenedXMLParser().parseTree(Array(xml.utf8))
        let element = try #require(root.child("iati-activity"))
        let order = element.children.map(\.name)
        #expect(order == ["iati-identifier", "reporting-org", "title", "description", "participating-org", "participating-org", "activity-status",
                          "activity-date", "activity-date", "recipient-country", "sector", "budget", "transaction", "transaction", "result"])
        #expect(element.children("transaction").compactMap { $0.child("transaction-type")?.attributes["code"] } == ["2", "3"])
        #expect(element.child("result")?.child("indicator")?.child("period")?.child("actual")?.attributes["value"] == "71")
    }

    @Test("a fund's export: contributions, commitments (2), disbursements (3) and co-financing (11), valid against the schema")
    func fundExport() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            let exchange = try await fixture.exchangeInFundingReview(grant: 1_000_000, coFinancing: 400_000)
            _ = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa1")))
            let grant = try await fixture.grant(of: exchange)
            let result = try await Disbursements(engine: fixture.engine, logger: fixture.logger).disburse(DisbursementRequest(
                grantID: grant.id, beneficiary: "Ministry of Water", account: try BankAccount.iban("GB82WEST12345698765432"), actor: FundingFixture.finance("fo1")))
            try await fixture.markPaid(result.instruction.endToEndID)
            let activities = try await FundIATIExport(client: fixture.client, logger: fixture.logger, reportingOrg: Self.publisher).activities(fund: "rapid")
            #expect(activities.count == 2)
            let xml = IATIActivityWriter.write(activities)
            try StandardSchemas.iatiActivities().validate(xml, what: "the fund's IATI file")
            let child = activities[1]
            #expect(child.recipientCountry == "KE")
            #expect(child.transactions.map(\.type) == [2, 3, 11])
            // The co-financing is the country's own money, not paid to itself: no organisation is both provider and receiver.
            #expect(child.transactions.allSatisfy { $0.provider == nil || $0.provider != $0.receiver })
            #expect(child.transactions[2].provider?.name == "Government of KE" && child.transactions[2].receiver == nil)
            #expect(child.transactions.map(\.value) == [.usd(1_000_000), .usd(1_000_000), .usd(400_000)])
            #expect(child.budgets.first?.value == .usd(1_400_000))
            #expect(activities[0].transactions.map(\.type) == [1])
        }
    }
}
