import Foundation
import MeridianDomainTestSupport
import MeridianExchange
import Testing

/// Feedback counts (issue 15, points 4 and 5): officials' feedback is stored, shown and
/// weighed; self-reports count below independent evaluations.
@Suite("officials' feedback and self-reported evidence")
struct FeedbackTests {
    @Test("an official of the requesting country gives feedback on a matched experience; others may not")
    func givingFeedback() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchangeAtPartnerSelection()
            let round = try #require(try await f.exchanges.matches(id, for: Fixtures.codOfficial))
            let matched = try #require(round.matches.first)
            let store = FeedbackStore(client: f.client, logger: f.logger)
            let given = try await store.give(experienceId: matched.experienceID, exchangeId: id, useful: true,
                                             comment: "Their grants fitted our budget", by: Fixtures.codOfficial)
            #expect(given.useful && given.official == "amani")
            // Again: replaced, not added.
            _ = try await store.give(experienceId: matched.experienceID, exchangeId: id, useful: false, comment: nil, by: Fixtures.codOfficial)
            let shown = try await store.feedback(on: matched.experienceID)
            #expect(shown.count == 1 && shown[0].useful == false && shown[0].comment == nil)

            await #expect(throws: ExchangeError.self) {
                try await store.give(experienceId: matched.experienceID, exchangeId: id, useful: true, comment: nil, by: Fixtures.keOfficial)
            }
            let other = try await ExperienceStore(client: f.client, logger: f.logger).list()
                .first { experience in !round.matches.contains { $0.experienceID == experience.id } }
            do {
                _ = try await store.give(experienceId: try #require(other?.id), exchangeId: id, useful: true, comment: nil, by: Fixtures.codOfficial)
                Issue.record("feedback on an experience the exchange was never matched with was accepted")
            } catch let error as ExchangeError {
                #expect(error.code == .refused)
            }
            do {
                _ = try await store.give(experienceId: matched.experienceID, exchangeId: id, useful: true,
                                         comment: String(repeating: "x", count: 2_001), by: Fixtures.codOfficial)
                Issue.record("a long comment was accepted")
            } catch let error as ExchangeError {
                #expect(error.code == .invalidArgument)
            }
            #expect(try await store.feedback(on: matched.experienceID).count == 1, "refused feedback changed nothing")
        }
    }

    @Test("feedback feeds the outcome component with its step and cap, visibly in the reasons")
    func feedbackWeighs() {
        let request = MatchRequest(text: "x", sectors: [.socialProtection], countryCode: "RWA", region: .subSaharanAfrica, incomeGroup: .low)
        // The outcome weight at 0.15 (the default is 0.05) so that the step and the cap read in the figures.
        let scorer = MatchScorer(request: request, weights: MatchingWeights(outcome: 0.15))
        var experience = sample("KEN", "P", strength: .reported)
        experience.id = 1
        let plain = scorer.score(MatchScorer.Candidate(experience: experience, rank: 4, matchedTerms: []))
        #expect(plain.parts.outcome == 0.05)            // 0.15 × 1/3
        #expect(plain.reasons.feedback == nil)
        let liked = scorer.score(MatchScorer.Candidate(experience: experience, rank: 4, matchedTerms: [], feedback: FeedbackTally(useful: 2, notUseful: 0)))
        #expect(liked.parts.outcome == 0.065)           // 0.15 × (1/3 + 2 × 0.05)
        #expect(liked.reasons.feedback?.contains("2 useful, 0 not useful (+0.10") == true)
        let loved = scorer.score(MatchScorer.Candidate(experience: experience, rank: 4, matchedTerms: [], feedback: FeedbackTally(useful: 40, notUseful: 0)))
        #expect(loved.parts.outcome == 0.0725, "capped at +0.15: 0.15 × (1/3 + 0.15)")
        let disliked = scorer.score(MatchScorer.Candidate(experience: experience, rank: 4, matchedTerms: [], feedback: FeedbackTally(useful: 0, notUseful: 9)))
        #expect(disliked.parts.outcome == 0.0275, "0.15 × (1/3 − 0.15)")
        #expect(disliked.reasons.feedback?.contains("−0.15") == true)
    }

    @Test("independent evidence outweighs a self-report of the same strength, and the reasons say which is which")
    func selfReportedCountsLess() {
        let request = MatchRequest(text: "x", sectors: [.socialProtection], countryCode: "RWA", region: .subSaharanAfrica, incomeGroup: .low)
        let scorer = MatchScorer(request: request, weights: MatchingWeights(outcome: 0.15))
        var independent = sample("KEN", "Independent", strength: .measured)
        independent.id = 1
        var reported = sample("UGA", "Self", strength: .measured)
        reported.id = 2
        reported.selfReported = true
        let matches = scorer.select([
            MatchScorer.Candidate(experience: reported, rank: 4, matchedTerms: []),
            MatchScorer.Candidate(experience: independent, rank: 4, matchedTerms: []),
        ])
        #expect(matches.map(\.countryCode) == ["KEN", "UGA"])
        #expect(matches[0].parts.outcome == 0.1 && matches[1].parts.outcome == 0.05)
        #expect(matches[0].reasons.outcome.hasSuffix("(independent source)"))
        #expect(matches[1].reasons.outcome.contains("self-reported"))
        // Feedback never lifts a self-report above the same independent evidence.
        let liked = scorer.score(MatchScorer.Candidate(experience: reported, rank: 4, matchedTerms: [], feedback: FeedbackTally(useful: 50, notUseful: 0)))
        #expect(liked.parts.outcome < matches[0].parts.outcome)
    }

    @Test("feedback given in the database reaches the next match's reasons")
    func feedbackReachesMatching() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchangeAtPartnerSelection()
            let round = try #require(try await f.exchanges.matches(id, for: Fixtures.codOfficial))
            let first = try #require(round.matches.first)
            _ = try await FeedbackStore(client: f.client, logger: f.logger).give(
                experienceId: first.experienceID, exchangeId: id, useful: true, comment: nil, by: Fixtures.codOfficial)
            let again = try await Matcher(client: f.client, logger: f.logger).match(MatchRequest(
                text: Fixtures.ddrRequest.institutionalChallenge, sectors: Fixtures.ddrRequest.sectors, countryCode: "COD",
                region: .subSaharanAfrica, incomeGroup: .low))
            let same = try #require(again.matches.first { $0.experienceID == first.experienceID })
            #expect(same.reasons.feedback?.hasPrefix("officials' feedback: 1 useful, 0 not useful (+0.05") == true)
        }
    }
}
