import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianExchange
import MeridianWorkflow
import Testing

@Suite("notifications and reminders")
struct NotificationTests {
    @Test("an overdue pickup escalates to supervisors and program managers; a reminder in partner confirmation goes to the partner's officials")
    func escalationAndReminder() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchanges.file(Fixtures.ddrRequest, by: Fixtures.codOfficial).exchangeID
            // The timers' events, fired as the timer would fire them.
            try await f.fire(id, "pickup-overdue", as: .system("timer"))
            try await f.runTasks()
            var notes = try await f.exchanges.show(id, for: Fixtures.managerActor).notifications
            #expect(notes.contains { $0.task == "notify-escalation" && $0.recipientRole == "supervisor" && $0.message.hasPrefix("Overdue in submitted") })
            #expect(notes.contains { $0.task == "notify-escalation" && $0.recipientRole == "program-manager" })

            try await f.fire(id, "start-screening", as: Fixtures.manager)
            try await f.fire(id, "accept", as: Fixtures.manager)
            try await f.runTasks()
            try await f.fire(id, "approve-matches", as: Fixtures.manager)
            _ = try await f.exchanges.selectPartner("RWA", exchange: id, by: Fixtures.codOfficial)
            try await f.fire(id, "partner-reminder", as: .system("timer"))
            try await f.runTasks()
            notes = try await f.exchanges.show(id, for: Fixtures.rwaOfficial).notifications
            let reminder = try #require(notes.first { $0.task == "send-reminder" })
            #expect(reminder.recipientRole == "partner-official" && reminder.recipientCountry == "RWA")
            #expect(reminder.message.contains("waits for you in partner-confirmation"))
        }
    }

    @Test("a cancelled exchange tells the requesting official and the invited partner")
    func cancelled() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchangeAtPartnerSelection()
            _ = try await f.exchanges.selectPartner("RWA", exchange: id, by: Fixtures.codOfficial)
            try await f.fire(id, "cancel", as: Fixtures.manager)
            try await f.runTasks()
            let notes = try await f.exchanges.show(id, for: Fixtures.managerActor).notifications.filter { $0.task == "notify-cancelled" }
            #expect(Set(notes.map { "\($0.recipientRole) \($0.recipientCountry ?? "")" }) == ["official COD", "partner-official RWA"])
        }
    }
}
