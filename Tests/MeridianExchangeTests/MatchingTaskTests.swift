import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianQueue
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("matching as a task of the exchange workflow")
struct MatchingTaskTests {
    @Test("the match-experiences task stores five other countries with score parts, summary and reasons, and moves to match review")
    func matchesStored() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchanges.file(Fixtures.ddrRequest, by: Fixtures.codOfficial).exchangeID
            try await f.fire(id, "start-screening", as: Fixtures.manager)
            try await f.fire(id, "accept", as: Fixtures.manager)
            let ran = try await f.runTasks()
            #expect(ran.contains("match-experiences"))
            #expect(try await f.state(id) == "match-review")
            #expect(try await f.context(id)["matches"] == .integer(5))
            let round = try #require(try await f.exchanges.matches(id, for: Fixtures.codOfficial))
            #expect(round.round == 1)
            #expect(round.status == .enough)
            #expect(round.matches.count == 5)
            #expect(!round.matches.contains { $0.countryCode == "COD" })
            #expect(Set(round.matches.map(\.countryCode)).count == 5)
            #expect(Set(round.matches.prefix(4).map(\.countryCode)).isSubset(of: ["SLE", "RWA", "LBR", "MOZ", "COL", "BDI", "AGO", "CIV", "UGA", "NPL", "IDN"]), "other countries' reintegration programmes lead")
            for match in round.matches {
                #expect(abs(match.parts.total - match.score) < 1e-9)
                #expect(match.summary.contains(match.programme))
                #expect(!match.reasons.matchedTerms.isEmpty)
                #expect(!match.sources.isEmpty)
            }
            #expect(round.matches[0].reasons.sharedSectors.contains(.demobilisationReintegration))
            let notes = try await f.exchanges.show(id, for: Fixtures.managerActor).notifications
            #expect(notes.contains { $0.task == "match-experiences" && $0.message.contains("Matching round 1") })
            // The program manager's approval is guarded by the matches the task counted.
            try await f.fire(id, "approve-matches", as: Fixtures.manager)
            #expect(try await f.state(id) == "partner-selection")
        }
    }

    @Test("a retried matching job stores its round once")
    func retriedJobStoresOnce() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchanges.file(Fixtures.ddrRequest, by: Fixtures.codOfficial).exchangeID
            try await f.fire(id, "start-screening", as: Fixtures.manager)
            try await f.fire(id, "accept", as: Fixtures.manager)
            // The job runs, then runs again as after a crash before the queue heard it finished.
            let jobs = try await f.claimTaskJobs()
            let job = try #require(jobs.first { $0.kind.rawValue == "workflow-task:match-experiences" })
            let handlers = f.engine.jobHandlers()
            let handler = try #require(handlers.handler(for: job.kind))
            try await handler.handle(job, logger: f.logger)
            try await handler.handle(job, logger: f.logger)
            #expect(try await f.state(id) == "match-review")
            #expect(try await f.engine.history(of: id).filter { $0.event == "matches-found" }.count == 1)
            #expect(try await f.count("exchange_match_rounds", id) == 1)
            #expect(try await f.count("exchange_matches", id) == 5)
            #expect(try await f.count("exchange_notifications", id) == 1)
        }
    }

    @Test("a request nothing matches fires no-matches: back to the program manager, who may rematch; both sides are told why")
    func noMatches() async throws {
        try await ExchangeFixture.with { f in
            var request = Fixtures.ddrRequest
            request.developmentGoal = "Zyxqv plorbt wexxle quarnible"
            request.institutionalChallenge = "Florbish grintle vopsy marnak zindle"
            request.changeObjective = "Quixle brandor fenwip astorbe glimsh"
            request.sectors = [.housing]
            let id = try await f.exchanges.file(request, by: Fixtures.codOfficial).exchangeID
            try await f.fire(id, "start-screening", as: Fixtures.manager)
            try await f.fire(id, "accept", as: Fixtures.manager)
            try await f.runTasks()
            // Back to the program manager, who cannot approve an empty list but may rematch or cancel.
            #expect(try await f.state(id) == "match-review")
            #expect(try await f.context(id)["matches"] == .integer(0))
            let view = try await f.exchanges.show(id, for: Fixtures.codOfficial)
            #expect(view.matches?.status == MatchResult.Status.none)
            #expect(view.matches?.matches.isEmpty == true)
            #expect(view.notifications.contains { $0.task == "notify-no-matches" && $0.recipientRole == "program-manager" && $0.message.contains("Matching found") })
            #expect(view.notifications.contains { $0.task == "notify-no-matches" && $0.recipientRole == "official" })
            let approve = try await f.engine.fire(FireRequest(instanceID: id, event: "approve-matches", actor: Fixtures.manager))
            #expect(approve.status == .rejected, "no match to approve")
            try await f.fire(id, "rematch", as: Fixtures.manager)
            try await f.runTasks()
            #expect(try await f.state(id) == "match-review")
        }
    }

    @Test("the registered task handlers are the tasks the exchange's plugin declares, none of the funding module's")
    func registryAgrees() async throws {
        #expect(ExchangeTasks.plugin.registry.tasks == ExchangeTasks.names)
        #expect(ExchangeTasks.names.isDisjoint(with: FundingTasks.plugin.registry.tasks))
        try await ExchangeFixture.with { f in
            #expect(Set(f.tasks.names) == ExchangeTasks.names)
        }
    }
}
