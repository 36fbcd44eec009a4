/// Scores ranked candidates against a request and picks the partners: pure, so the rules
/// are tested without a database.
public struct MatchScorer: Sendable {
    /// An experience the database found for the request's words.
    public struct Candidate: Sendable, Equatable {
        public var experience: Experience
        /// `ts_rank_cd` of the request's words against the experience.
        public var rank: Double
        /// Words of the request the experience holds.
        public var matchedTerms: [String]

        public init(experience: Experience, rank: Double, matchedTerms: [String]) {
            self.experience = experience
            self.rank = rank
            self.matchedTerms = matchedTerms
        }
    }

    public var request: MatchRequest
    public var weights: MatchingWeights

    public init(request: MatchRequest, weights: MatchingWeights) {
        self.request = request
        self.weights = weights
    }

    /// The best candidate of each country other than the requester's, best first, those at
    /// or above the minimum score, at most five.
    public func select(_ candidates: [Candidate]) -> [Match] {
        let scored = candidates
            .filter { $0.experience.countryCode != request.countryCode }
            .map { (candidate: $0, match: score($0)) }
            .sorted { lhs, rhs in
                if lhs.match.score != rhs.match.score { return lhs.match.score > rhs.match.score }
                if lhs.candidate.rank != rhs.candidate.rank { return lhs.candidate.rank > rhs.candidate.rank }
                return lhs.match.experienceId < rhs.match.experienceId
            }
        var countries: Set<String> = []
        var matches: [Match] = []
        for (_, match) in scored where countries.insert(match.countryCode).inserted {
            guard match.score >= weights.minimumScore else { break }
            matches.append(match)
            if matches.count == MatchResult.wanted { break }
        }
        return matches
    }

    /// One candidate's score, its parts and the reasons.
    public func score(_ candidate: Candidate) -> Match {
        let experience = candidate.experience
        let shared = request.sectors.filter(experience.sectors.contains)
        let textComponent = candidate.rank / (candidate.rank + weights.textHalfPoint)
        let sectorComponent = request.sectors.isEmpty ? 0 : Double(shared.count) / Double(Set(request.sectors).count)
        let regionComponent: Double
        let regionReason: String
        if experience.region == request.region {
            regionComponent = 1
            regionReason = "same region (\(experience.region.rawValue))"
        } else if experience.region.isNeighbour(of: request.region) {
            regionComponent = 0.5
            regionReason = "neighbouring region (\(experience.region.rawValue))"
        } else {
            regionComponent = 0
            regionReason = "another region (\(experience.region.rawValue))"
        }
        let steps = experience.incomeGroup.distance(to: request.incomeGroup)
        let incomeReason = steps == 0
            ? "same income group (\(experience.incomeGroup.rawValue))"
            : "\(experience.incomeGroup.rawValue) income, \(steps) step\(steps == 1 ? "" : "s") from \(request.incomeGroup.rawValue)"
        let parts = Match.ScoreParts(
            text: Self.rounded(weights.text * textComponent),
            sector: Self.rounded(weights.sector * sectorComponent),
            region: Self.rounded(weights.region * regionComponent),
            income: Self.rounded(weights.income * (1 - Double(steps) / 3)),
            outcome: Self.rounded(weights.outcome * Double(experience.outcomeStrength.rawValue) / 3)
        )
        return Match(
            experienceId: experience.id ?? 0,
            countryCode: experience.countryCode,
            countryName: experience.countryName,
            programme: experience.programme,
            years: experience.years,
            score: Self.rounded(parts.total),
            parts: parts,
            summary: MatchSummary.make(experience),
            reasons: Match.Reasons(
                matchedTerms: candidate.matchedTerms,
                sharedSectors: shared,
                region: regionReason,
                income: incomeReason,
                outcome: experience.outcomeStrength.label
            ),
            sources: experience.sources
        )
    }

    /// Four decimals: enough to order, short enough to read.
    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
