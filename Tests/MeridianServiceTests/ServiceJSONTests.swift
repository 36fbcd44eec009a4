import MeridianCodes
import Foundation
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianService
import Testing

/// What the server writes, the CLI against it reads back as the same value: the files whose own
/// keys are snake_case too (a request, a plan's budget lines, a report's feedback), which
/// Foundation's `convertFromSnakeCase` could not read.
@Suite("ServiceJSON, one codec both ends")
struct ServiceJSONTests {
    func roundTrip<Value: Codable & Equatable>(_ value: Value) throws -> Value {
        try ServiceJSON.decoder().decode(Value.self, from: ServiceJSON.encode(value, pretty: false))
    }

    @Test("a request, a plan and a report come back whole, and their files keep their snake_case keys")
    func filesRoundTrip() throws {
        let request = ExchangeRequest(country: "COD", countryName: "DR Congo", region: .subSaharanAfrica, incomeGroup: .low,
                                      developmentGoal: "Peace", institutionalChallenge: "Reintegration", changeObjective: "A programme",
                                      sectors: [.demobilisationReintegration], instruments: [.studyVisit],
                                      indicators: [Indicator(name: "Livelihoods", unit: "%", baseline: 12, target: 40.5)])
        #expect(try roundTrip(request) == request)
        let day = try CalendarDay("2027-03-01")
        let plan = VisitPlan(activities: [.init(instrument: .studyVisit, title: "Centres", start: day, end: day, place: "Musanze",
                                                participants: [.init(name: "Amani", institution: "UEPN", country: "COD", role: "visitor")])],
                             budget: [.init(category: .travel, description: "Flights", amountMinor: 1_250_000, currency: "USD", paidBy: .grant)],
                             instalments: [70, 30])
        #expect(try roundTrip(plan) == plan)
        let report = ResultsReport(indicators: [.init(name: "Livelihoods", actual: 27)], outcomes: [.init(kind: .enhancedSkills, description: "Trained")],
                                   lessons: ["Start with the communities."], feedback: .init(requestingCountry: "Useful.", partnerCountry: "Glad."))
        #expect(try roundTrip(report) == report)

        // The files still read and write their own keys.
        let file = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        #expect(file.contains("\"amount_minor\"") && file.contains("\"paid_by\""))
        #expect(try VisitPlan.decode(Data(file.utf8), file: "plan.json") == plan)
    }

    @Test("ids spelt ID come back from their snake_case keys: an exchange filed, an event's outcome")
    func acronyms() throws {
        let id = "0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10"
        let filed = try ServiceJSON.decoder().decode(Exchanges.Filed.self, from: Data(#"{"exchange_id":"\#(id)","replayed":false,"state":"submitted"}"#.utf8))
        #expect(filed.exchangeID == UUID(uuidString: id) && filed.state == "submitted")
        let outcome = try ServiceJSON.decoder().decode(FireOutcome.self, from: Data("""
            {"event":"accept","from":"screening","instance_id":"\(id)","message":"screening → matching on 'accept'","replayed":false,            "status":"applied","to":"matching","version":3}
            """.utf8))
        #expect(outcome.instanceID == UUID(uuidString: id))
        #expect(try ServiceJSON.decoder().decode(FireOutcome.self, from: ServiceJSON.encode(outcome, pretty: false)) == outcome)
    }

    @Test("money comes back whole, in the form the API documents (minor units, code, text)")
    func fundingRoundTrip() throws {
        let money = MoneyJSON(Money(minorUnits: 875_000, currency: try Currency.named("USD")))
        #expect(try roundTrip(money) == money && money.description == "8,750.00 USD")
        let json = String(decoding: try ServiceJSON.encode(money, pretty: false), as: UTF8.self)
        #expect(json == #"{"currency":"USD","minor_units":875000,"text":"8,750.00 USD"}"#)
    }
}

/// The HTTP API answers one exchange's view with ``ServiceJSON/wire(_:)``'s own encoder (issue
/// 13: Foundation's was a fifth of a busy server's time); what it writes must be the very bytes
/// Foundation's encoder writes, or clients would see the answer change.
@Suite("ServiceJSON's wire encoder")
struct WireJSONTests {
    func expectSameBytes(_ value: some Encodable, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let foundation = String(decoding: try ServiceJSON.encode(value, pretty: false), as: UTF8.self)
        let wire = String(decoding: try ServiceJSON.wire(value), as: UTF8.self)
        #expect(wire == foundation, sourceLocation: sourceLocation)
    }

    @Test("a whole exchange view (partners, matches with their scores, a plan, notifications) in the same bytes as Foundation's")
    func wholeView() async throws {
        try await ServiceFixture.with { f in
            let view = try await f.service.exchange(f.exchange, by: try await f.caller(.requestingOfficial))
            #expect(!view.partners.isEmpty && !view.plans.isEmpty && view.matches?.matches.isEmpty == false && !view.notifications.isEmpty)
            try expectSameBytes(view)

            var odd = view
            odd.request.request.developmentGoal = "Quotes \" a back\\slash / a slash\n a newline\t a tab \u{01} \u{1F} é 漢字 🙂"
            odd.partners[0].reason = "line\rbreak\u{0C}\u{08}\u{7F}"
            odd.publishedExperienceID = 42
            odd.archivedAt = Date(timeIntervalSince1970: 1_800_000_000.75)
            try expectSameBytes(odd)
        }
    }

    @Test("a request, a plan and a report, with fractions and whole numbers, in the same bytes as Foundation's")
    func files() throws {
        let request = ExchangeRequest(country: "COD", countryName: "DR Congo", region: .subSaharanAfrica, incomeGroup: .low,
                                      developmentGoal: "Peace", institutionalChallenge: "Reintegration", changeObjective: "A programme",
                                      sectors: [.demobilisationReintegration], instruments: [.studyVisit],
                                      indicators: [Indicator(name: "Livelihoods", unit: "%", baseline: 12, target: 40.5),
                                                   Indicator(name: "Tiny", unit: "ratio", baseline: 0.000_01, target: 1e21)])
        try expectSameBytes(request)
        let day = try CalendarDay("2027-03-01")
        let plan = VisitPlan(activities: [.init(instrument: .studyVisit, title: "Centres", start: day, end: day, place: "Musanze",
                                                participants: [.init(name: "Amani", institution: "UEPN", country: "COD", role: "visitor")])],
                             budget: [.init(category: .travel, description: "Flights", amountMinor: 1_250_000, currency: "USD", paidBy: .grant)],
                             instalments: [70, 30])
        try expectSameBytes(plan)
        let report = ResultsReport(indicators: [.init(name: "Livelihoods", actual: 27)], outcomes: [.init(kind: .enhancedSkills, description: "Trained")],
                                   lessons: ["Start with the communities."], feedback: .init(requestingCountry: "Useful.", partnerCountry: "Glad."))
        try expectSameBytes(report)
        try expectSameBytes(["camelCaseKey": [1.5, 2.0, -0.0], "another_key": [3]])
        try expectSameBytes(MoneyJSON(Money(minorUnits: 875_000, currency: try Currency.named("USD"))))
    }
}
