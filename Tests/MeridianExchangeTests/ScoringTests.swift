import Foundation
import MeridianExchange
import Testing

/// The pure parts: scoring, selection, weights, the pre-selection plan, spelling variants.
@Suite("match scoring")
struct ScoringTests {
    let request = MatchRequest(text: "x", sectors: [.socialProtection, .education], countryCode: "RWA", region: .subSaharanAfrica, incomeGroup: .low)

    func candidate(_ code: String, id: Int, rank: Double, region: Region = .subSaharanAfrica, income: IncomeGroup = .low,
                   sectors: [Sector] = [.socialProtection], strength: OutcomeStrength = .measured) -> MatchScorer.Candidate {
        var experience = sample(code, "P\(id)", region: region, income: income, sectors: sectors, strength: strength)
        experience.id = id
        return MatchScorer.Candidate(experience: experience, rank: rank, matchedTerms: ["cash"])
    }

    @Test("each component follows the documented formula")
    func components() {
        let scorer = MatchScorer(request: request, weights: .default)
        let match = scorer.score(candidate("KEN", id: 1, rank: 4, region: .middleEastNorthAfrica, income: .upperMiddle, strength: .rigorous))
        #expect(match.parts.text == 0.12)         // 0.60 × 4/max(4, 20): alone, its own best, below the reference
        #expect(match.parts.sector == 0.125)      // 0.25 × 1 of 2 sectors
        #expect(match.parts.region == 0.025)      // 0.05 × neighbouring
        #expect(match.parts.income == 0.0167)     // 0.05 × (1 − 2/3)
        #expect(match.parts.outcome == 0.05)      // 0.05 × 3/3
        #expect(abs(match.score - match.parts.total) < 1e-9)
        #expect(match.reasons.region.hasPrefix("neighbouring region"))
        #expect(match.reasons.income == "upper-middle income, 2 steps from low")
    }

    @Test("selection drops the requester, keeps each country's best, at most five, above the minimum")
    func selection() {
        let scorer = MatchScorer(request: request, weights: .default)
        var candidates = [candidate("RWA", id: 1, rank: 50)]
        for (index, code) in ["KEN", "KEN", "UGA", "TZA", "BDI", "ETH", "MWI"].enumerated() {
            candidates.append(candidate(code, id: index + 2, rank: Double(10 - index)))
        }
        candidates.append(candidate("USA", id: 20, rank: 0.01, region: .northAmerica, income: .high, sectors: [.housing], strength: .none))
        let matches = scorer.select(candidates)
        #expect(matches.count == 5)
        #expect(!matches.contains { $0.countryCode == "RWA" || $0.countryCode == "USA" })
        #expect(matches.filter { $0.countryCode == "KEN" }.map(\.experienceID) == [2])
        #expect(matches.map(\.score) == matches.map(\.score).sorted(by: >))
        // The requester's own experience (rank 50) is not the best the others are measured against.
        #expect(matches.first?.parts.text == 0.3, "0.60 × 10/max(10, 20)")
    }

    @Test("the text component is relative to the request's best candidate: a translation whose ranks are all lower scores its candidates as the original does")
    func textRelativeToBest() {
        var weights = MatchingWeights.default
        weights.minimumScore = 0
        let scorer = MatchScorer(request: request, weights: weights)
        func texts(_ ranks: [Double]) -> [Double] {
            scorer.select(ranks.enumerated().map { candidate(["KEN", "UGA", "TZA"][$0.offset], id: $0.offset + 1, rank: $0.element) }).map(\.parts.text)
        }
        // An English request's candidates at 48, 36, 24; its translation reaches half as many words.
        #expect(texts([48, 36, 24]) == [0.6, 0.45, 0.3])
        #expect(texts([24, 18, 12]) == texts([48, 36, 24]))
        // A weak request stays weak: below the reference (20) the component is the rank over it.
        #expect(texts([4, 2]) == [0.12, 0.06])
        // Scoring a subset (the finalists) relative to all candidates gives the scores it had among them.
        let all = [40.0, 30, 10].enumerated().map { candidate(["KEN", "UGA", "TZA"][$0.offset], id: $0.offset + 1, rank: $0.element) }
        let finalists = scorer.scaled(to: all).select(Array(all.dropFirst()))
        #expect(finalists.map(\.score) == scorer.select(all).dropFirst().map(\.score))
    }

    @Test("weights parse from NAME=NUMBER and refuse unknown names and negative values")
    func weights() throws {
        let weights = try MatchingWeights.default.overridden(by: "text=0.5, outcome=0")
        #expect(weights.text == 0.5 && weights.outcome == 0 && weights.sector == 0.25)
        #expect(try MatchingWeights.default.overridden(by: "text-reference=30").textReference == 30)
        #expect(throws: ExchangeError.self) { try MatchingWeights.default.overridden(by: "text-reference=0") }
        // Weights stored with a match before the text reference existed still read.
        let stored = #"{"text":0.5,"sector":0.25,"region":0.05,"income":0.05,"outcome":0.15,"textHalfPoint":8,"minimumScore":0.35}"#
        let decoded = try JSONDecoder().decode(MatchingWeights.self, from: Data(stored.utf8))
        #expect(decoded.text == 0.5 && decoded.outcome == 0.15 && decoded.textReference == MatchingWeights.default.textReference)
        #expect(throws: ExchangeError.self) { try MatchingWeights.default.overridden(by: "colour=1") }
        #expect(throws: ExchangeError.self) { try MatchingWeights.default.overridden(by: "text=-1") }
        #expect(throws: ExchangeError.self) { try MatchingWeights.default.overridden(by: "text") }
    }
}
