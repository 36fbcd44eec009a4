import MeridianCodes
import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianExchange
import MeridianFunding
import PostgresNIO
import Testing

/// Several funds in one currency: the plan names its fund, the program manager may choose
/// another at funding review, a fund's mandate excludes what it does not cover, and the
/// choice is recorded on the grant.
@Suite("Choosing the fund of an exchange's grant")
struct FundChoiceTests {
    private func create(_ f: ExchangeFixture, _ id: String, mandate: FundMandate = .open) async throws {
        try await FundStore(client: f.client, logger: f.logger).create(Fund(
            id: id, name: "Fund \(id)", currency: try Currency.named("USD"), donors: [], mandate: mandate, createdBy: "admin"))
    }

    private func refusal<Value>(_ body: () async throws -> Value) async -> ExchangeError? {
        do {
            _ = try await body()
            Issue.record("not refused")
            return nil
        } catch let error as ExchangeError {
            return error
        } catch {
            Issue.record("not an ExchangeError: \(error)")
            return nil
        }
    }

    private func grant(_ f: ExchangeFixture, _ id: UUID) async throws -> Grant {
        try await GrantQueries(client: f.client, logger: f.logger).find(id.uuidString)
    }

    @Test("with three USD funds a plan must name one that exists and whose mandate admits the exchange; the named fund is recorded")
    func planNamesTheFund() async throws {
        try await ExchangeFixture.with(funding: true) { f in
            let id = try await f.exchangeAtPlanning()
            try await create(f, "rapid")
            try await create(f, "reserve")
            try await create(f, "water", mandate: FundMandate(sectors: ["water-sanitation"]))
            _ = try await f.exchanges.importPlan(Fixtures.plan(), exchange: id, by: Fixtures.codOfficial)
            let unnamed = await refusal { try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial) }
            #expect(unnamed?.code == .invalidData)
            #expect(unnamed?.message == "3 funds are kept in USD (rapid, reserve, water), and the plan names none; funds that could pay: rapid, reserve")
            #expect(try await f.state(id) == "planning")

            var plan = Fixtures.plan()
            plan.fund = "nope"
            let unknown = await refusal { try await f.exchanges.importPlan(plan, exchange: id, by: Fixtures.codOfficial) }
            #expect(unknown?.code == .notFound)
            #expect(unknown?.message == "the plan names the fund 'nope', which does not exist; funds that could pay: rapid, reserve")
            plan.fund = "water"
            let excluded = await refusal { try await f.exchanges.importPlan(plan, exchange: id, by: Fixtures.codOfficial) }
            #expect(excluded?.code == .invalidData)
            #expect(excluded?.message == "the fund water cannot pay for this plan: its mandate excludes the exchange: it pays for the sectors water-sanitation, "
                    + "and the exchange is in demobilisation-reintegration, peacebuilding; funds that could pay: rapid, reserve")
            #expect(try await f.exchanges.plans(exchange: id, for: Fixtures.codOfficial).count == 1, "a refused plan is not stored")

            plan.fund = "reserve"
            _ = try await f.exchanges.importPlan(plan, exchange: id, by: Fixtures.rwaOfficial)
            let submitted = try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial)
            #expect(submitted.state == "funding-review")
            let grant = try await grant(f, id)
            #expect(grant.fundID == "reserve")
            #expect(grant.fundChoice?.how == .plan && grant.fundChoice?.by == "claire", "the plan's author named it")
            #expect(try await f.exchanges.plans(exchange: id, for: Fixtures.managerActor).last?.plan.fund == "reserve")
        }
    }

    @Test("the only fund in the currency pays when the plan names none, unless its mandate excludes the exchange")
    func singleFundDefault() async throws {
        try await ExchangeFixture.with(funding: true) { f in
            let id = try await f.exchangeAtPlanning()
            try await create(f, "kenya", mandate: FundMandate(countries: ["KEN"]))
            _ = try await f.exchanges.importPlan(Fixtures.plan(), exchange: id, by: Fixtures.codOfficial)
            let excluded = await refusal { try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial) }
            #expect(excluded?.message == "the only fund in USD, kenya, cannot pay for this plan: its mandate excludes the exchange: "
                    + "it pays for exchanges requested by KEN, not COD")
            #expect(try await f.state(id) == "planning")
        }
        try await ExchangeFixture.with(funding: true) { f in
            let id = try await f.exchangeAtPlanning()
            try await create(f, "rapid")
            _ = try await f.exchanges.importPlan(Fixtures.plan(), exchange: id, by: Fixtures.codOfficial)
            _ = try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial)
            let grant = try await grant(f, id)
            #expect(grant.fundID == "rapid" && grant.fundChoice?.how == .default)
        }
    }

    @Test("the program manager chooses another fund at funding review, within its mandate and before any vote; every change is kept")
    func programManagerChooses() async throws {
        try await ExchangeFixture.with(funding: true) { f in
            let id = try await f.exchangeAtPlanning()
            try await create(f, "rapid")
            try await create(f, "reserve")
            try await create(f, "visits", mandate: FundMandate(instruments: ["study-visit"]))
            var plan = Fixtures.plan(grantMinor: 5_000_000)  // 54,000 USD: two approvers
            plan.fund = "rapid"
            _ = try await f.exchanges.importPlan(plan, exchange: id, by: Fixtures.codOfficial)
            _ = try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial)

            let official = await refusal { try await f.exchanges.chooseFund("reserve", exchange: id, reason: "x", by: Fixtures.codOfficial) }
            #expect(official?.code == .permissionDenied)
            let unknown = await refusal { try await f.exchanges.chooseFund("nope", exchange: id, reason: "x", by: Fixtures.managerActor) }
            #expect(unknown?.code == .notFound && unknown?.message == "no fund has the id 'nope'; funds that could pay: rapid, reserve")
            let excluded = await refusal { try await f.exchanges.chooseFund("visits", exchange: id, reason: "x", by: Fixtures.managerActor) }
            #expect(excluded?.code == .invalidData)
            #expect(excluded?.message == "the fund visits cannot pay for this exchange: its mandate excludes the exchange: it pays for study-visit, "
                    + "and the plan also has videoconference; funds that could pay: rapid, reserve")
            #expect(try await grant(f, id).fundID == "rapid")

            let moved = try await f.exchanges.chooseFund("reserve", exchange: id, reason: "peacebuilding agreement", by: Fixtures.managerActor)
            #expect(moved.fundID == "reserve")
            #expect(moved.fundChoice?.how == .fundingReview && moved.fundChoice?.by == "pm" && moved.fundChoice?.reason == "peacebuilding agreement")
            #expect(moved.fundChoice?.description == "chosen at funding review by pm: peacebuilding agreement")
            let rows = try await f.client.query("SELECT from_fund, to_fund, chosen_by, reason FROM funding_fund_choices", logger: f.logger).collect()
            #expect(try rows.map { try $0.decode((String, String, String, String).self) }.map { [$0.0, $0.1, $0.2, $0.3] }
                    == [["rapid", "reserve", "pm", "peacebuilding agreement"]])

            // One approver votes; the fund can no longer change under her vote.
            let vote = try await f.fire(id, "approve-grant", as: Fixtures.approver)
            #expect(vote.status == .applied && vote.to == "funding-review", "\(vote.message)")
            do {
                _ = try await f.exchanges.chooseFund("rapid", exchange: id, reason: "back", by: Fixtures.managerActor)
                Issue.record("the fund changed after a vote")
            } catch let error as FundingError {
                #expect(error.code == .conflict)
                #expect(error.message == "fay already voted for the grant from reserve; its fund can no longer change")
            }
            #expect(try await grant(f, id).fundID == "reserve")
        }
    }

    @Test("a plan file's unknown key is refused, not ignored")
    func unknownKeys() throws {
        let plan = """
            {"activities": [{"instrument": "study-visit", "title": "Visit", "start": "2030-01-01", "end": "2030-01-02", "place": "Kigali",
              "participants": [{"name": "A", "institution": "B", "country": "COD", "role": "visitor", "email": "a@example.org"}]}],
             "budget": [{"category": "travel", "description": "Flights", "amount_minor": 100, "currency": "USD", "paid_by": "grant"}],
             "fnud": "rapid"}
            """
        do {
            _ = try VisitPlan.decode(Data(plan.utf8), file: "plan.json")
            Issue.record("unknown keys were ignored")
        } catch let error as ExchangeError {
            #expect(error.code == .invalidData)
            #expect(error.message == "plan.json: 'activities[0].participants[0].email' is not a field of this file")
        }
        let named = try VisitPlan.decode(Data(plan.replacingOccurrences(of: ", \"email\": \"a@example.org\"", with: "")
                                                  .replacingOccurrences(of: "fnud", with: "fund").utf8), file: "plan.json")
        #expect(named.fund == "rapid")
    }
}
