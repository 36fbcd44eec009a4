import Foundation
import MeridianEngine
import MeridianExchange
import MeridianService
import Testing

/// "My exchanges" reads the list and what waits for the person in one statement
/// (``MeridianService/myExchanges(limit:by:)``): it must say exactly what the list and the inbox
/// say, for every kind of caller, and the page must show it — each exchange's bar with its own
/// current step, the partner, and "waiting for you" on those in her inbox only.
@Suite struct MyExchangesTests {
    typealias Persona = ServiceFixture.Persona

    /// Three exchanges waiting for different people: the fixture's in funding review (the fund
    /// approvers' vote), one just filed (the program manager's screening), one at the partner's
    /// choice (the requesting official's). Returns the two new ones' ids.
    static func threeExchanges(_ f: ServiceFixture) async throws -> (filed: UUID, choosing: UUID) {
        let cod = try await f.caller(.requestingOfficial), pm = try await f.caller(.programManager)
        var request = ServiceFixture.ddrRequest
        request.developmentGoal = "Reintegration of former fighters in the Kasai provinces"
        let filed = try await f.service.fileRequest(request, key: nil, by: cod).exchangeID
        request.developmentGoal = "Community policing along the eastern border districts"
        let choosing = try await f.service.fileRequest(request, key: nil, by: cod).exchangeID
        _ = try await f.service.startScreening(choosing, key: nil, by: pm)
        _ = try await f.service.decide(.approve, exchange: choosing, comment: nil, key: nil, by: pm)
        try await ServiceFixture.runTasks(f.service, client: f.client, logger: f.logger)
        _ = try await f.service.decide(.approve, exchange: choosing, comment: nil, key: nil, by: pm)
        #expect(try await f.service.engine.instance(choosing).state == "partner-selection")
        return (filed, choosing)
    }

    /// For every persona who can sign in: the same exchanges in the same order as the list, and
    /// "waiting" on exactly the exchanges of her inbox — before and after the fund approver's
    /// vote, which takes the exchange out of her inbox (she may not vote twice) but not out of
    /// the others'.
    @Test func agreesWithTheListAndTheInboxForEveryone() async throws {
        try await ServiceFixture.with { f in
            let (filed, choosing) = try await Self.threeExchanges(f)
            let people: [Persona] = [.requestingOfficial, .partnerOfficial, .otherOfficial, .programManager, .fundApprover,
                                     .financeOfficer, .supervisor, .admin]
            func check(_ stage: String) async throws -> [Persona: Set<UUID>] {
                var waiting: [Persona: Set<UUID>] = [:]
                for persona in people {
                    let caller = try await f.caller(persona)
                    let mine = try await f.service.myExchanges(by: caller)
                    #expect(mine.map(\.summary) == (try await f.service.listExchanges(by: caller)), "\(stage): \(persona)")
                    let inbox = Set(try await f.service.inbox(by: caller).map(\.id))
                    waiting[persona] = Set(mine.filter(\.waitsForActor).map(\.summary.id))
                    #expect(waiting[persona] == inbox, "\(stage): \(persona)")
                }
                return waiting
            }
            let before = try await check("before the vote")
            #expect(before[.requestingOfficial] == [choosing])
            #expect(before[.programManager] == [filed])
            #expect(before[.fundApprover] == [f.exchange])
            #expect(before[.otherOfficial] == [] && before[.admin] == [])

            _ = try await f.service.voteOnGrant(f.grant.uuidString, approve: true, comment: nil, key: nil, by: try await f.caller(.fundApprover))
            #expect(try await f.service.engine.instance(f.exchange).state == "funding-review")  // 60,000 USD: a second approver is needed
            let after = try await check("after the vote")
            #expect(after[.fundApprover] == [])
            #expect(after[.requestingOfficial] == [choosing])
        }
    }

    @Test func thePageShowsEachExchangesStepPartnerAndWhatWaitsForHer() async throws {
        try await ServiceFixture.with { f in
            let (filed, choosing) = try await Self.threeExchanges(f)
            try await f.withPages { client in
                let amani = PageBrowser(client)
                try await amani.signIn(f.tokens[.requestingOfficial]!)
                let page = try await amani.get("/exchanges")
                #expect(page.status == 200)
                #expect(PageChecks.problems(page.html) == [])
                let rows = page.html.components(separatedBy: "<tr>").dropFirst(2)  // the head's row, then one per exchange
                func row(_ id: UUID) throws -> String {
                    try #require(rows.first { $0.contains(#"<a href="/exchanges/\#(id.uuidString.lowercased())">"#) })
                }
                #expect(rows.count == 3)
                #expect(page.html.components(separatedBy: "Waiting for you").count - 1 == 1)

                let chosen = try row(choosing)
                #expect(chosen.contains("Waiting for you"))
                #expect(chosen.contains(#"<li class="done">Matching</li><li class="current" aria-current="step">Partner</li><li class="">Plan</li>"#))
                let fresh = try row(filed)
                #expect(!fresh.contains("Waiting for you"))
                #expect(fresh.contains(#"<li class="current" aria-current="step">Request</li><li class="">Screening</li>"#))
                let funded = try row(f.exchange)
                #expect(!funded.contains("Waiting for you"))
                #expect(funded.contains("COD → RWA"))
                #expect(funded.contains(#"<li class="done">Plan</li><li class="current" aria-current="step">Funding</li>"#))
                for html in [chosen, fresh, funded] {
                    #expect(html.components(separatedBy: #"<ol class="steps" aria-label="Progress">"#).count - 1 == 1)
                }

                // The partner's official, in French: the bar's label and names from the French catalogue.
                let claire = PageBrowser(client, language: "fr")
                try await claire.signIn(f.tokens[.partnerOfficial]!)
                let french = try await claire.get("/exchanges")
                #expect(french.html.components(separatedBy: #"<ol class="steps" aria-label="Avancement">"#).count - 1 == 1)
                #expect(french.html.contains(#"<li class="current" aria-current="step">Financement</li>"#))
                #expect(french.html.contains("COD → RWA"))
                #expect(!french.html.contains("En attente de votre action"))
            }
        }
    }
}
