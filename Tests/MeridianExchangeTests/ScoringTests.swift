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
        #expect(match.parts.text == 0.1667)       // 0.50 × 4/(4+8)
        #expect(match.parts.sector == 0.125)      // 0.25 × 1 of 2 sectors
        #expect(match.parts.region == 0.025)      // 0.05 × neighbouring
        #expect(match.parts.income == 0.0167)     // 0.05 × (1 − 2/3)
        #expect(match.parts.outcome == 0.15)      // 0.15 × 3/3
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
    }

    @Test("weights parse from NAME=NUMBER and refuse unknown names and negative values")
    func weights() throws {
        let weights = try MatchingWeights.default.overridden(by: "text=0.5, outcome=0")
        #expect(weights.text == 0.5 && weights.outcome == 0 && weights.sector == 0.25)
        #expect(throws: ExchangeError.self) { try MatchingWeights.default.overridden(by: "colour=1") }
        #expect(throws: ExchangeError.self) { try MatchingWeights.default.overridden(by: "text=-1") }
        #expect(throws: ExchangeError.self) { try MatchingWeights.default.overridden(by: "text") }
    }
}
