import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianExchange
import MeridianQueue
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("choosing and confirming the partner")
struct PartnerTests {
    @Test("the official chooses a matched country, its official is invited, confirms and joins the exchange")
    func chooseAndConfirm() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchangeAtPartnerSelection()
            // Before the choice, Rwanda's official does not see the exchange.
            await #expect { _ = try await f.exchanges.show(id, for: Fixtures.rwaOfficial) } throws: { ($0 as? ExchangeError)?.code == .notFound }
            let step = try await f.exchanges.selectPartner("rwa", exchange: id, by: Fixtures.codOfficial)
            #expect(step.country == "RWA")
            #expect(step.state == "partner-confirmation")
            #expect(try await f.context(id)["partner-selected"] == .string("true"))
            try await f.runTasks()
            let invited = try await f.exchanges.show(id, for: Fixtures.rwaOfficial)
            #expect(invited.notifications.contains { $0.task == "invite-partner" && $0.recipientRole == "partner-official" && $0.recipientCountry == "RWA" })
            // The requesting official cannot answer for the partner; another country's official cannot see it.
            await #expect { _ = try await f.exchanges.confirmPartnership(exchange: id, by: Fixtures.codOfficial) } throws: { ($0 as? ExchangeError)?.code == .permissionDenied }
            await #expect { _ = try await f.exchanges.confirmPartnership(exchange: id, by: Fixtures.sleOfficial) } throws: { ($0 as? ExchangeError)?.code == .notFound }
            let confirmed = try await f.exchanges.confirmPartnership(exchange: id, by: Fixtures.rwaOfficial)
            #expect(confirmed.state == "planning")
            let view = try await f.exchanges.show(id, for: Fixtures.rwaOfficial)
            #expect(view.currentPartner?.response == "confirmed")
            #expect(view.currentPartner?.respondedBy == "claire")
            #expect(try await f.exchanges.list(for: Fixtures.rwaOfficial).map(\.id) == [id])
            let history = try await f.engine.history(of: id)
            #expect(history.last?.event == "confirm")
            #expect(history.last?.actorRoles == "partner-official")
        }
    }

    @Test("a country outside the matches, or a wrong state, is refused with nothing written")
    func refusals() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchangeAtPartnerSelection()
            await #expect { _ = try await f.exchanges.selectPartner("FRA", exchange: id, by: Fixtures.codOfficial) } throws: { error in
                let error = error as? ExchangeError
                return error?.code == .invalidArgument && error?.message.hasPrefix("FRA is not among this exchange's matches") == true
            }
            await #expect { _ = try await f.exchanges.selectPartner("RWA", exchange: id, by: Fixtures.managerActor) } throws: { ($0 as? ExchangeError)?.code == .permissionDenied }
            await #expect { _ = try await f.exchanges.confirmPartnership(exchange: id, by: Fixtures.rwaOfficial) } throws: { ($0 as? ExchangeError)?.code == .notFound }
            #expect(try await f.count("exchange_partner_choices", id) == 0)
            #expect(try await f.state(id) == "partner-selection")
        }
    }

    @Test("declining needs a reason, sends the exchange back to selection, tells the official why, and the declined country cannot be chosen again")
    func declineWithReason() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchangeAtPartnerSelection()
            let matches = try #require(try await f.exchanges.matches(id, for: Fixtures.codOfficial)).matches.map(\.countryCode)
            #expect(matches.contains("SLE"))
            _ = try await f.exchanges.selectPartner("SLE", exchange: id, by: Fixtures.codOfficial)
            await #expect { _ = try await f.exchanges.declinePartnership(exchange: id, reason: "  ", by: Fixtures.sleOfficial) } throws: { ($0 as? ExchangeError)?.code == .invalidArgument }
            let declined = try await f.exchanges.declinePartnership(exchange: id, reason: "Our commission is closing this year", by: Fixtures.sleOfficial)
            #expect(declined.state == "partner-selection")
            #expect(try await f.context(id)["partner-selected"] == .string("false"))
            try await f.runTasks()
            let view = try await f.exchanges.show(id, for: Fixtures.codOfficial)
            #expect(view.partners.first?.response == "declined")
            #expect(view.partners.first?.reason == "Our commission is closing this year")
            #expect(view.notifications.contains { $0.task == "notify-partner" && $0.recipientCountry == "COD" && $0.message.contains("Our commission is closing this year") })
            // Sierra Leone's official no longer sees it.
            await #expect { _ = try await f.exchanges.show(id, for: Fixtures.sleOfficial) } throws: { ($0 as? ExchangeError)?.code == .notFound }
            await #expect { _ = try await f.exchanges.selectPartner("SLE", exchange: id, by: Fixtures.codOfficial) } throws: { ($0 as? ExchangeError)?.code == .conflict }
            let again = try await f.exchanges.selectPartner("RWA", exchange: id, by: Fixtures.codOfficial, key: "choose-rwa")
            let replay = try await f.exchanges.selectPartner("RWA", exchange: id, by: Fixtures.codOfficial, key: "choose-rwa")
            #expect(again.state == "partner-confirmation")
            #expect(replay.replayed)
            #expect(try await f.count("exchange_partner_choices", id) == 2)
        }
    }

    @Test("an invitation nobody answered lapses: the official chooses again, and the silent country loses its view")
    func unansweredInvitation() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchangeAtPartnerSelection()
            _ = try await f.exchanges.selectPartner("SLE", exchange: id, by: Fixtures.codOfficial)
            _ = try await f.fire(id, "partner-unresponsive", as: .system("timer"))
            #expect(try await f.state(id) == "partner-selection")
            let again = try await f.exchanges.selectPartner("RWA", exchange: id, by: Fixtures.codOfficial)
            #expect(again.state == "partner-confirmation")
            let view = try await f.exchanges.show(id, for: Fixtures.codOfficial)
            #expect(view.partners.first?.response == "declined" && view.partners.first?.reason == "no answer before the invitation lapsed")
            #expect(view.currentPartner?.country == "RWA")
            await #expect { _ = try await f.exchanges.show(id, for: Fixtures.sleOfficial) } throws: { ($0 as? ExchangeError)?.code == .notFound }
        }
    }
}
