import Foundation

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
        /// Officials' feedback on the experience.
        public var feedback: FeedbackTally

        public init(experience: Experience, rank: Double, matchedTerms: [String], feedback: FeedbackTally = .none) {
            self.experience = experience
            self.rank = rank
            self.matchedTerms = matchedTerms
            self.feedback = feedback
        }
    }

    public var request: MatchRequest
    public var weights: MatchingWeights
    /// The language summaries are shown in (the request's).
    public var language: Language
    /// The concepts recognised in the request, for the reasons.
    public var concepts: [String]
    /// How many countries ``select(_:)`` proposes: five for an official; more for the
    /// evaluation's explanation of a miss (where the right country ranked).
    public var proposals = MatchResult.wanted
    /// The highest text rank among the request's candidates, which the text component is
    /// relative to (``MatchingWeights/textReference``); ``select(_:)`` takes it from the
    /// candidates it is given when `nil`. Set it (``scaled(to:)``) before scoring a subset of
    /// the candidates, so that the subset scores as it did among all of them.
    public var bestRank: Double?

    public init(request: MatchRequest, weights: MatchingWeights, language: Language? = nil, concepts: [String] = []) {
        self.request = request
        self.weights = weights
        self.language = language ?? request.language ?? .english
        self.concepts = concepts
    }

    /// This scorer with ``bestRank`` taken from `candidates` (all of the request's), leaving
    /// out the requester's own experiences, which are never proposed.
    public func scaled(to candidates: [Candidate]) -> MatchScorer {
        var scorer = self
        scorer.bestRank = candidates.filter { $0.experience.countryCode != request.countryCode }.map(\.rank).max() ?? 0
        return scorer
    }

    /// The best candidate of each country other than the requester's, best first, those at
    /// or above the minimum score, at most ``proposals`` (five).
    public func select(_ candidates: [Candidate]) -> [Match] {
        if bestRank == nil { return scaled(to: candidates).select(candidates) }
        let scored = candidates
            .filter { $0.experience.countryCode != request.countryCode }
            .map { (candidate: $0, match: score($0)) }
            .sorted { lhs, rhs in
                if lhs.match.score != rhs.match.score { return lhs.match.score > rhs.match.score }
                if lhs.candidate.rank != rhs.candidate.rank { return lhs.candidate.rank > rhs.candidate.rank }
                return lhs.match.experienceID < rhs.match.experienceID
            }
        var countries: Set<String> = []
        var matches: [Match] = []
        for (_, match) in scored where countries.insert(match.countryCode).inserted {
            guard match.score >= weights.minimumScore else { break }
            matches.append(match)
            if matches.count == proposals { break }
        }
        return matches
    }

    /// One candidate's score, its parts and the reasons; its text component is relative to
    /// ``bestRank`` (a candidate scored alone, without it, is its own best).
    public func score(_ candidate: Candidate) -> Match {
        let experience = candidate.experience
        let shared = request.sectors.filter(experience.sectors.contains)
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
        let outcome = outcomeComponent(experience, feedback: candidate.feedback)
        let parts = Match.ScoreParts(
            text: textPart(rank: candidate.rank),
            sector: Self.rounded(weights.sector * sectorComponent),
            region: Self.rounded(weights.region * regionComponent),
            income: Self.rounded(weights.income * (1 - Double(steps) / 3)),
            outcome: Self.rounded(weights.outcome * outcome.component)
        )
        let summary = MatchSummary.make(experience, in: language)
        return Match(
            experienceID: experience.id ?? 0,
            countryCode: experience.countryCode,
            countryName: experience.countryName,
            programme: experience.programme,
            years: experience.years,
            score: Self.total(parts),
            parts: parts,
            summary: summary.text,
            summaryLanguage: summary.language.rawValue,
            reasons: Match.Reasons(
                matchedTerms: candidate.matchedTerms,
                sharedSectors: shared,
                region: regionReason,
                income: incomeReason,
                outcome: outcome.reason,
                concepts: concepts.isEmpty ? nil : concepts,
                feedback: outcome.feedbackReason
            ),
            sources: experience.sources
        )
    }

    /// The text part of a candidate's score: its rank relative to ``bestRank`` (or to itself,
    /// scored alone), never above 1, times the text weight.
    func textPart(rank: Double) -> Double {
        Self.rounded(weights.text * min(rank / max(bestRank ?? rank, weights.textReference), 1))
    }

    /// The score of `parts`, as a match carries it.
    static func total(_ parts: Match.ScoreParts) -> Double { rounded(parts.total) }

    /// The outcome component (0…1): the evidence, halved (``MatchingWeights/selfReportedFactor``)
    /// when self-reported, plus officials' feedback within its cap; and the reasons in words.
    func outcomeComponent(_ experience: Experience, feedback: FeedbackTally) -> (component: Double, reason: String, feedbackReason: String?) {
        var evidence = Double(experience.outcomeStrength.rawValue) / 3
        var reason = experience.outcomeStrength.label
        if experience.selfReported {
            evidence *= weights.selfReportedFactor
            reason += " (self-reported by an exchange: counts \(Self.rounded(weights.selfReportedFactor)) of independent evidence)"
        } else if experience.outcomeStrength >= .measured {
            reason += " (independent source)"
        }
        guard feedback.useful + feedback.notUseful > 0 else { return (evidence, reason, nil) }
        let net = Double(feedback.useful - feedback.notUseful) * weights.feedbackStep
        let added = min(max(net, -weights.feedbackCap), weights.feedbackCap)
        let component = min(max(evidence + added, 0), 1)
        let sign = added >= 0 ? "+" : "−"
        let feedbackReason = "officials' feedback: \(feedback.useful) useful, \(feedback.notUseful) not useful "
            + "(\(sign)\(String(format: "%.2f", abs(added))) to the outcome component, capped at ±\(String(format: "%.2f", weights.feedbackCap)))"
        return (component, reason, feedbackReason)
    }

    /// Four decimals: enough to order, short enough to read.
    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
