import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianExchange
import MeridianQueue
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("results reports and their review")
struct ResultsTests {
    @Test("a report is checked against the request's indicators, every problem at once")
    func reportChecks() {
        var report = Fixtures.report
        report.indicators = [.init(name: "Former fighters with a livelihood", actual: 31), .init(name: "Schools built", actual: 3)]
        report.outcomes = []
        report.feedback.partnerCountry = ""
        let problems = report.problems(against: Fixtures.ddrRequest.indicators)
        #expect(problems.contains { $0.hasPrefix("indicators[1].name: 'Schools built' is not an indicator of the request") })
        #expect(problems.contains("indicators: no actual value for 'Days to process a case' (baseline 90, target 30)"))
        #expect(problems.contains { $0.hasPrefix("outcomes: name at least one intermediate outcome") })
        #expect(problems.contains("feedback.partner_country: the partner country's feedback is empty"))
        #expect(problems.count == 4)
        #expect(Fixtures.report.problems(against: Fixtures.ddrRequest.indicators).isEmpty)
        #expect(ResultsReport.progress(31, of: Fixtures.ddrRequest.indicators[0]) == "31 % (baseline 12, target 40: 68 % of the way)")
    }

    /// An exchange in implementation: funding steps fired through the workflow's own events by
    /// test users with the fund-approver and finance-officer roles, and `payment-confirmed` by
    /// the system, until the funding module's tasks exist.
    func exchangeInImplementation(_ f: ExchangeFixture) async throws -> UUID {
        let id = try await f.exchangeAtPlanning()
        _ = try await f.exchanges.importPlan(Fixtures.plan(), exchange: id, by: Fixtures.codOfficial)
        _ = try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial)
        try await f.fire(id, "approve-grant", as: Fixtures.approver)
        try await f.fire(id, "disburse", as: Fixtures.financeOfficer)
        try await f.fire(id, "payment-confirmed", as: .system("test:bank"))
        #expect(try await f.state(id) == "implementation")
        return id
    }

    @Test("submit, revise with a comment, submit again, accept: the exchange closes and its report becomes an experience")
    func reportReviewPublish() async throws {
        try await ExchangeFixture.with { f in
            let id = try await exchangeInImplementation(f)
            let file: [UInt8] = Array("agenda of the Musanze visit".utf8)
            let posted = try await f.exchanges.postMessage("Agenda <attached>", attachments: [NewAttachment(fileName: "agenda.txt", contentType: "text/plain", bytes: file)],
                                                           exchange: id, by: Fixtures.codOfficial)
            var bad = Fixtures.report
            bad.lessons = []
            await #expect { _ = try await f.exchanges.submitReport(bad, exchange: id, by: Fixtures.codOfficial) } throws: { ($0 as? ExchangeError)?.code == .invalidData }
            await #expect { _ = try await f.exchanges.submitReport(Fixtures.report, exchange: id, by: Fixtures.rwaOfficial) } throws: { ($0 as? ExchangeError)?.code == .permissionDenied }
            #expect(try await f.count("exchange_reports", id) == 0)
            let first = try await f.exchanges.submitReport(Fixtures.report, exchange: id, by: Fixtures.codOfficial)
            #expect(first.version == 1 && first.state == "results-review")
            await #expect { _ = try await f.exchanges.review(.revise, comment: nil, exchange: id, by: Fixtures.managerActor) } throws: { ($0 as? ExchangeError)?.code == .invalidArgument }
            await #expect { _ = try await f.exchanges.review(.accept, comment: nil, exchange: id, by: Fixtures.codOfficial) } throws: { ($0 as? ExchangeError)?.code == .permissionDenied }
            let revise = try await f.exchanges.review(.revise, comment: "Add the partner's view of the pilot", exchange: id, by: Fixtures.managerActor)
            #expect(revise.state == "implementation")
            let second = try await f.exchanges.submitReport(Fixtures.report, exchange: id, by: Fixtures.codOfficial)
            #expect(second.version == 2)
            let accepted = try await f.exchanges.review(.accept, comment: "Thorough", exchange: id, by: Fixtures.managerActor)
            #expect(accepted.state == "closed")
            let ran = try await f.runTasks()
            #expect(Set(["publish-experience", "archive-exchange", "notify-closed"]).isSubset(of: Set(ran)))
            let view = try await f.exchanges.show(id, for: Fixtures.codOfficial)
            #expect(view.reports.map(\.version) == [1, 2])
            #expect(view.reports[0].review?.decision == "revise")
            #expect(view.reports[0].review?.comment == "Add the partner's view of the pilot")
            #expect(view.reports[1].review?.decision == "accept")
            let experienceID = try #require(view.publishedExperienceID)
            #expect(view.archivedAt != nil)
            // The archived record keeps the conversation: texts, and files by name and checksum, not their bytes.
            let archived = try await f.client.query("SELECT record->>'conversation' FROM exchange_archive WHERE exchange_id = \(id)", logger: f.logger).collect()
            let conversation = try #require(try archived.first?.decode(String?.self))
            #expect(conversation.contains("Agenda <attached>") && conversation.contains(ConversationRules.sha256(file)) && conversation.contains("agenda.txt"), "\(conversation)")
            #expect(conversation.contains("\"id\": \(posted.id)"), "\(conversation)")
            #expect(!conversation.contains("Musanze visit") && !conversation.contains("\"content\""), "the file's bytes are not in the record")
            let experience = try #require(try await ExperienceStore(client: f.client, logger: f.logger).experience(id: experienceID))
            #expect(experience.countryCode == "COD")
            #expect(experience.sectors == [.demobilisationReintegration, .peacebuilding])
            #expect(experience.outcomes.contains("Former fighters with a livelihood: 31 % (baseline 12, target 40: 68 % of the way)"))
            #expect(experience.approach.contains("study visit (Reintegration centres in Musanze)"))
            #expect(experience.outcomeStrength == .reported)
            #expect(experience.sources == ["meridian:exchange/\(id.uuidString.lowercased())"])
            #expect(experience.selfReported, "an exchange's own report is self-reported evidence")
            #expect(experience.provenance?.hasPrefix("Self-reported") == true)
            // Scored for a match, it says so, and its evidence counts half of an independent report's.
            let own = MatchScorer(request: MatchRequest(text: "x", sectors: [], countryCode: "UGA", region: .subSaharanAfrica, incomeGroup: .low),
                                  weights: .default).score(MatchScorer.Candidate(experience: experience, rank: 1, matchedTerms: []))
            #expect(own.reasons.outcome.contains("self-reported by an exchange"))
            #expect(own.parts.outcome == 0.0083, "0.05 × 1/3 × 0.5")
        }
    }
}
