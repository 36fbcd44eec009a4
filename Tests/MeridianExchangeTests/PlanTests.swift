import MeridianCodes
import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianExchange
import MeridianQueue
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing
import MeridianFunding

@Suite("visit plans")
struct PlanTests {
    @Test("the plan checks report every problem at once")
    func checks() throws {
        var plan = Fixtures.plan()
        plan.activities[0].link = nil
        plan.activities[1].end = try CalendarDay("2020-01-01")
        plan.activities[1].participants = []
        plan.budget[0].amountMinor = 0
        plan.budget[1].currency = "EUR"
        let problems = PlanCheck(plan).problems
        #expect(problems.contains("activities[0].link: a videoconference needs its meeting link (https://…)"))
        #expect(problems.contains { $0.hasPrefix("activities[1]: ends 2020-01-01, before it starts") })
        #expect(problems.contains("activities[1].participants: every activity needs at least one participant"))
        #expect(problems.contains("budget[0].amount_minor: must be positive (integer minor units), not 0"))
        #expect(problems.count == 4)
        #expect(PlanCheck(VisitPlan(activities: [], budget: [])).problems == [
            "activities: the plan needs at least one activity", "budget: the plan needs at least one budget line"])
        let mixed = VisitPlan(activities: Fixtures.plan().activities, budget: [
            .init(category: .travel, description: "a", amountMinor: 100, currency: "USD", paidBy: .grant),
            .init(category: .travel, description: "b", amountMinor: 100, currency: "EUR", paidBy: .grant)])
        #expect(PlanCheck(mixed).problems == ["budget[1].currency: the grant lines are in USD, this one in EUR; convert it so the grant has one currency"])
        let totals = PlanCheck(Fixtures.plan()).totals
        #expect(totals.grant == Money(minorUnits: 1_900_000, currency: try Currency.named("USD")))
        #expect(totals.coFinancing == Money(minorUnits: 250_000, currency: try Currency.named("USD")))
        #expect(PlanCheck(Fixtures.plan(startIn: -3), today: Fixtures.day(0)).problems.contains { $0.contains("is not ahead of today") })
        for bad in [[70, 20], [0, 100], [], [25, 25, 25, 15, 10]] {
            var split = Fixtures.plan()
            split.instalments = bad
            #expect(PlanCheck(split).problems.count == 1 && PlanCheck(split).problems[0].hasPrefix("instalments: "), "\(bad)")
        }
        var split = Fixtures.plan()
        split.instalments = [70, 30]
        #expect(PlanCheck(split).problems.isEmpty)
        // One money type prints every amount: the shared ISO 4217 table gives the dinars three decimals.
        func text(_ minor: Int64, _ code: String) throws -> String { try Money(minorUnits: minor, code: code).description }
        #expect(try text(1_900_000, "USD") == "19,000.00 USD")
        #expect(try text(350_000, "RWF") == "350,000 RWF")
        #expect(try text(1_500, "JOD") == "1.500 JOD")
        #expect(try text(12_345_678, "KWD") == "12,345.678 KWD")
        #expect(try text(1_000, "TND") == "1.000 TND")
    }

    @Test("codes are checked against the ISO tables, not their shape; texts against their limits")
    func codesAndLimits() {
        for (currency, country) in [("ZZZ", "COD"), ("XXX", "COD"), ("USD", "XYZ"), ("USD", "BR")] {
            var plan = Fixtures.plan()
            plan.budget[0].currency = currency
            plan.activities[0].participants[0].country = country
            #expect(!PlanCheck(plan).isConsistent, "\(currency) \(country)")
        }
        var long = Fixtures.plan()
        long.activities[0].title = String(repeating: "t", count: 301)
        #expect(PlanCheck(long).problems.contains { $0.contains("title: has 301 characters, at most 300") })
        var nul = Fixtures.plan()
        nul.activities[0].title = "a\u{0}b"
        #expect(PlanCheck(nul).problems.contains { $0.contains("NUL") })
    }

    @Test("a plan file's unknown key is named, never dropped")
    func unknownKey() throws {
        let text = #"{"activities": [], "budget": [], "budgets": []}"#
        #expect {
            _ = try VisitPlan.decode(Data(text.utf8), file: "plan.json")
        } throws: { error in
            (error as? ExchangeError)?.message == "plan.json: 'budgets' is not a field of this file"
        }
    }

    @Test("a plan file with a bad date says where")
    func planFileErrors() throws {
        let text = #"{"activities": [{"instrument": "workshop", "title": "t", "start": "2027-02-30", "end": "2027-03-01", "place": "p", "participants": []}], "budget": []}"#
        #expect {
            _ = try VisitPlan.decode(Data(text.utf8), file: "plan.json")
        } throws: { error in
            (error as? ExchangeError)?.message.hasPrefix("plan.json: activities[0].start: '2027-02-30' is not a date") == true
        }
    }

    @Test("submitting puts the grant and co-financing in the context and moves to funding review; the check task records its finding")
    func submit() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchangeAtPlanning()
            // Not before planning has a plan; not by the partner.
            await #expect { _ = try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial) } throws: { ($0 as? ExchangeError)?.code == .conflict }
            let version = try await f.exchanges.importPlan(Fixtures.plan(), exchange: id, by: Fixtures.rwaOfficial)
            #expect(version == 1)
            await #expect { _ = try await f.exchanges.submitPlan(exchange: id, by: Fixtures.rwaOfficial) } throws: { ($0 as? ExchangeError)?.code == .permissionDenied }
            let submitted = try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial, key: "submit-1")
            #expect(submitted.state == "funding-review")
            #expect(submitted.version == 1)
            let context = try await f.context(id)
            #expect(context["plan-consistent"] == .string("true"))
            #expect(context["amounts"] == .object([
                "grant": .object(["minor_units": .integer(1_900_000), "currency": .string("USD")]),
                "co_financing": .object(["minor_units": .integer(250_000), "currency": .string("USD")]),
            ]))
            #expect(context["instalments"] == .array([.integer(100)]), "no split asked for: paid at once")
            let replay = try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial, key: "submit-1")
            #expect(replay.replayed && replay.version == 1)
            try await f.runTasks()
            let plans = try await f.exchanges.plans(exchange: id, for: Fixtures.managerActor)
            #expect(plans.count == 1)
            #expect(plans[0].submittedBy == "amani")
            #expect(plans[0].checkResult == "consistent: 2 activities, 4 participants, grant 19,000.00 USD, co-financing 2,500.00 USD")
            // Plans are written in planning only.
            await #expect { _ = try await f.exchanges.importPlan(Fixtures.plan(), exchange: id, by: Fixtures.codOfficial) } throws: { ($0 as? ExchangeError)?.code == .conflict }
        }
    }

    @Test("a plan whose activities are no longer ahead cannot be submitted, and nothing changes")
    func pastDatesRefused() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchangeAtPlanning()
            _ = try await f.exchanges.importPlan(Fixtures.plan(startIn: -10), exchange: id, by: Fixtures.codOfficial)
            await #expect { _ = try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial) } throws: { error in
                let error = error as? ExchangeError
                return error?.code == .invalidData && error?.message.contains("is not ahead of today") == true
            }
            #expect(try await f.state(id) == "planning")
            #expect(try await f.context(id)["amounts"] == nil)
            #expect(try await f.exchanges.plans(exchange: id, for: Fixtures.codOfficial).allSatisfy { $0.submittedAt == nil })
        }
    }

    @Test("a plan rejected in funding review goes back to planning; a revised version is submitted and both are kept")
    func revisedPlan() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchangeAtPlanning()
            _ = try await f.exchanges.importPlan(Fixtures.plan(grantMinor: 9_000_000), exchange: id, by: Fixtures.codOfficial)
            _ = try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial)
            // The funding module's review is not here yet: a fund approver rejects through the workflow's own event.
            try await f.fire(id, "reject-grant", as: Fixtures.approver)
            #expect(try await f.state(id) == "planning")
            // The rejected version cannot go back unchanged.
            await #expect { _ = try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial) } throws: { error in
                (error as? ExchangeError)?.message.hasPrefix("plan version 1 was already submitted") == true
            }
            let version = try await f.exchanges.importPlan(Fixtures.plan(grantMinor: 1_000_000), exchange: id, by: Fixtures.codOfficial)
            #expect(version == 2)
            let second = try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial)
            #expect(second.version == 2)
            #expect(second.state == "funding-review")
            let plans = try await f.exchanges.plans(exchange: id, for: Fixtures.codOfficial)
            #expect(plans.map(\.version) == [1, 2])
            #expect(plans.map { $0.totals.grant?.minorUnits } == [9_400_000, 1_400_000])
            #expect(plans.allSatisfy { $0.submittedAt != nil })
            if case .object(let amounts)? = try await f.context(id)["amounts"] {
                #expect(amounts["grant"] == .object(["minor_units": .integer(1_400_000), "currency": .string("USD")]))
            } else {
                Issue.record("no amounts in the context")
            }
        }
    }
}
