import Foundation

extension MatchIndex.Catalogue {
    /// A request's candidates as the index ranks them: every live experience of another
    /// country holding a request lexeme is counted and scored; the few that can be among the
    /// proposed countries are handed on whole to ``MatchScorer``.
    struct Ranking {
        /// The shortlisted candidates (texts left empty, as ``Matcher/ranked(_:ranker:)`` leaves them).
        var candidates: [MatchScorer.Candidate]
        /// The best text rank among all candidates: what the text component is relative to.
        var bestRank: Double
        /// How many experiences were ranked and scored.
        var ranked: Int
    }

    /// ``TextRank/saturated(_:)`` of every tenths a posting can hold.
    static let saturatedTenths: [Double] = (0...Int(UInt16.max)).map(TextRank.saturated)

    /// Scores that differ by less than this are treated as ties when shortlisting, so that
    /// ``MatchScorer`` alone orders them (the fast score is the same arithmetic as its score;
    /// the margin only guards against that ever drifting).
    static let tieMargin = 1e-9

    /// Ranks every experience holding one of `terms` (each with its rarity factor) exactly as
    /// the SQL exhaustive path does, scores each with ``MatchScorer``'s parts, and shortlists
    /// the best candidates of the countries that can be proposed.
    ///
    /// The text rank is a sum over the request's lexemes, taken in the order a `tsvector`
    /// stores them (byte-wise) so that the floating-point sum is the very one ``TextRank``
    /// makes reading the vector. The other parts come from ``ProfileParts`` (``MatchScorer``
    /// scoring blank experiences), the text part from ``MatchScorer/textPart(rank:)``.
    func rank(terms: [CandidatePlan.Term], factors: [Double], scorer: MatchScorer) -> Ranking {
        let order = terms.indices.sorted { Array(terms[$0].lexeme.utf8).lexicographicallyPrecedes(Array(terms[$1].lexeme.utf8)) }
        let lists = order.map { postings[Lexeme(text: terms[$0].lexeme)] }
        var weighted = [Double](repeating: 0, count: entries.count)
        var seen = [Bool](repeating: false, count: entries.count)
        Self.saturatedTenths.withUnsafeBufferPointer { saturated in
            weighted.withUnsafeMutableBufferPointer { weighted in
                seen.withUnsafeMutableBufferPointer { seen in
                    for (position, list) in lists.enumerated() {
                        guard let list else { continue }
                        let factor = factors[order[position]]
                        list.slots.withUnsafeBufferPointer { slots in
                            list.tenths.withUnsafeBufferPointer { tenths in
                                for posting in 0..<slots.count {
                                    let slot = Int(slots[posting])
                                    seen[slot] = true
                                    weighted[slot] += factor * saturated[Int(tenths[posting])]
                                }
                            }
                        }
                    }
                }
            }
        }
        // The requester's own experiences are never candidates. Slots are read in order (the
        // entries' memory in sequence), not in the order the postings reached them.
        let own = countryIndex[scorer.request.countryCode] ?? -1
        var slots: [UInt32] = []
        var bestWeighted = 0.0
        for slot in 0..<entries.count where seen[slot] {
            let entry = entries[slot]
            guard entry.alive, entry.country != own else { continue }
            bestWeighted = max(bestWeighted, weighted[slot])
            slots.append(UInt32(slot))
        }
        guard !slots.isEmpty else { return Ranking(candidates: [], bestRank: 0, ranked: 0) }
        // Ranks are rounded as `Matcher.finish` rounds them; rounding keeps the order, so the
        // best rank is the best sum rounded.
        func rounded(_ weighted: Double) -> Double { (weighted * 1000).rounded() / 1000 }
        let bestRank = rounded(bestWeighted)
        var scorer = scorer
        scorer.bestRank = bestRank
        var parts = PartTables(scorer: scorer)
        // First an estimate of every candidate's score without rounding (a multiplication and
        // four table lookups): within `slack` of the exact score, which rounds the rank to
        // thousandths (±0.0005 × the text scale), the text part and the total to ten-thousandths.
        let textScale = scorer.weights.text / max(bestRank, scorer.weights.textReference)
        let slack = 0.0005 * textScale + 0.0001 + Self.tieMargin
        var estimates = [Double](repeating: 0, count: slots.count)
        var countryEstimate = [Double](repeating: -.infinity, count: countries.count)
        for (index, slot) in slots.enumerated() {
            let entry = entries[Int(slot)]
            let estimate = min(textScale * weighted[Int(slot)], scorer.weights.text)
                + parts.sector(entry.sectors) + parts.region[Int(entry.region)] + parts.income[Int(entry.income)] + parts.outcome(entry)
            estimates[index] = estimate
            countryEstimate[Int(entry.country)] = max(countryEstimate[Int(entry.country)], estimate)
        }
        // Only a candidate that may score as much as its country's best and as much as the
        // `proposals`-th best country can be proposed; those are scored exactly.
        let estimated = countryEstimate.filter { $0 > -.infinity }.sorted(by: >)
        let floor = estimated.count >= scorer.proposals ? estimated[scorer.proposals - 1] - 2 * slack : -.infinity
        var candidates: [(slot: UInt32, rank: Double)] = []
        var scores: [Double] = []
        var countryBest = [Double](repeating: -.infinity, count: countries.count)
        for (index, slot) in slots.enumerated() {
            let entry = entries[Int(slot)]
            guard estimates[index] >= max(floor, countryEstimate[Int(entry.country)] - 2 * slack) else { continue }
            let rank = rounded(weighted[Int(slot)])
            let score = MatchScorer.total(Match.ScoreParts(
                text: scorer.textPart(rank: rank),
                sector: parts.sector(entry.sectors),
                region: parts.region[Int(entry.region)],
                income: parts.income[Int(entry.income)],
                outcome: parts.outcome(entry)
            ))
            candidates.append((slot, rank))
            scores.append(score)
            countryBest[Int(entry.country)] = max(countryBest[Int(entry.country)], score)
        }
        // The countries that can be proposed: the best `proposals`, and any tied with the last.
        let ranking = countryBest.filter { $0 > -.infinity }.sorted(by: >)
        let threshold = ranking.count >= scorer.proposals ? ranking[scorer.proposals - 1] - Self.tieMargin : -.infinity
        var shortlist: [MatchScorer.Candidate] = []
        for (index, candidate) in candidates.enumerated() {
            let entry = entries[Int(candidate.slot)]
            let best = countryBest[Int(entry.country)]
            guard best >= threshold, scores[index] >= best - Self.tieMargin else { continue }
            shortlist.append(MatchScorer.Candidate(
                experience: experience(entry), rank: candidate.rank,
                matchedTerms: Set(terms.indices.filter { holds(candidate.slot, terms[$0].lexeme) }.map { terms[$0].word }).sorted(),
                feedback: entry.feedback
            ))
        }
        return Ranking(candidates: shortlist, bestRank: bestRank, ranked: slots.count)
    }

    /// Whether `slot`'s experience holds `lexeme` (its posting list is in slot order).
    private func holds(_ slot: UInt32, _ lexeme: String) -> Bool {
        guard let list = postings[Lexeme(text: lexeme)] else { return false }
        var low = 0
        var high = list.slots.count
        while low < high {
            let middle = (low + high) / 2
            if list.slots[middle] < slot { low = middle + 1 } else { high = middle }
        }
        return low < list.slots.count && list.slots[low] == slot
    }

    /// The entry as the experience ``MatchScorer`` scores (texts empty until it is chosen).
    private func experience(_ entry: Entry) -> Experience {
        Experience(
            id: entry.id, countryCode: countries[Int(entry.country)], countryName: "",
            region: Region.allCases[Int(entry.region)], incomeGroup: IncomeGroup.allCases[Int(entry.income)],
            sectors: Sector.allCases.filter { entry.sectors & Self.sectorBits[$0]! != 0 },
            programme: "", startYear: 0, endYear: nil, problem: "", approach: "", outcomes: "",
            outcomeStrength: OutcomeStrength(rawValue: Int(entry.strength))!, sources: [], selfReported: entry.selfReported
        )
    }

    /// What each sector set, region, income group and evidence adds to the score for one
    /// request, read from ``MatchScorer`` (``ProfileParts``) and looked up per candidate.
    private struct PartTables {
        let scorer: MatchScorer
        var region: [Double]
        var income: [Double]
        /// By `strength × 2 + self-reported`, without feedback.
        var plainOutcome: [Double]
        /// The request's distinct sectors' bits, and the sector part by which of them an
        /// experience shares (bit j: the j-th), filled on first use.
        var requestBits: [UInt32]
        let requestMask: UInt32
        var sectorBySubset: [Double?]
        var sectorCache: [UInt32: Double] = [:]

        init(scorer: MatchScorer) {
            self.scorer = scorer
            let profile = ProfileParts(scorer: scorer)
            region = Region.allCases.map { profile.region[$0]! }
            income = IncomeGroup.allCases.map { profile.income[$0]! }
            plainOutcome = OutcomeStrength.allCases.flatMap { strength in
                [false, true].map { profile.outcome[ProfileParts.Outcome(strength: strength, selfReported: $0)]! }
            }
            requestBits = profile.sectors.map { MatchIndex.Catalogue.sectorBits[$0]! }
            requestMask = requestBits.reduce(0, |)
            sectorBySubset = requestBits.count <= 12 ? Array(repeating: nil, count: 1 << requestBits.count) : []
        }

        /// The sector part of an experience holding `sectors` (bits of `Sector.allCases`).
        mutating func sector(_ sectors: UInt32) -> Double {
            let shared = sectors & requestMask
            if sectorBySubset.isEmpty {
                if let known = sectorCache[shared] { return known }
                let part = sectorPart(shared)
                sectorCache[shared] = part
                return part
            }
            var subset = 0
            if shared != 0 {
                for (bit, mask) in requestBits.enumerated() where shared & mask != 0 { subset |= 1 << bit }
            }
            if let known = sectorBySubset[subset] { return known }
            let part = sectorPart(shared)
            sectorBySubset[subset] = part
            return part
        }

        private func sectorPart(_ shared: UInt32) -> Double {
            ProfileParts.parts(scorer) { experience in
                experience.sectors = Sector.allCases.filter { shared & MatchIndex.Catalogue.sectorBits[$0]! != 0 }
            }.sector
        }

        /// The outcome part: from the table without feedback, else from ``MatchScorer``.
        func outcome(_ entry: Entry) -> Double {
            guard entry.feedback != .none else { return plainOutcome[Int(entry.strength) * 2 + (entry.selfReported ? 1 : 0)] }
            return ProfileParts.parts(scorer, feedback: entry.feedback) { experience in
                experience.outcomeStrength = OutcomeStrength(rawValue: Int(entry.strength))!
                experience.selfReported = entry.selfReported
            }.outcome
        }
    }
}
