import Logging
import PostgresNIO

extension Matcher {
    /// The matches the impact-ordered postings pre-select, and how many rows were ranked.
    ///
    /// One statement pre-selects: for each request lexeme, one range scan of
    /// `experience_postings`' impact index reads the ``candidateCap`` experiences where it
    /// weighs most; their weights are summed per experience into an approximate text score
    /// (exact for every word whose postings were all read, a lower bound otherwise), and only
    /// the best ``candidateBudget`` rows come back — with their `search` vectors and the
    /// columns scoring needs, not their texts. No vector is read for the thousands of rows a
    /// common word is in, which is what the GIN pre-selection spent its time on.
    ///
    /// ``TextRank`` then ranks those rows exactly, as the other path does, the best
    /// ``rankedCandidates`` are scored, and only the chosen (at most five) are read whole for
    /// their summaries; a row's score does not depend on its texts, so scoring them again
    /// whole gives the same matches.
    func postingsMatches(
        terms: [CandidatePlan.Term], factors: [Double], scorer: MatchScorer, logger: Logger
    ) async throws -> (matches: [Match], ranked: Int) {
        let request = scorer.request
        let lexemes = terms.map(\.lexeme)
        let ranker = TextRank(lexemes: lexemes, factors: factors)
        let rows = try await client.query(
            """
            WITH preselected AS (
                SELECT p.experience_id AS id,
                       sum(CASE WHEN \(weightedPreselection) THEN q.factor * 2 * p.tenths / (p.tenths + 10.0) ELSE p.tenths END) AS score
                FROM unnest(\(lexemes)::text[], \(factors)::float8[]) AS q(lexeme, factor)
                CROSS JOIN LATERAL (
                    SELECT x.experience_id, x.tenths FROM experience_postings x
                    WHERE x.lexeme = q.lexeme
                    ORDER BY x.tenths DESC, x.experience_id
                    LIMIT \(candidateCap)
                ) AS p
                GROUP BY p.experience_id
                ORDER BY score DESC, p.experience_id
                -- The requester's own experiences are dropped below; take that many more, so they
                -- never crowd others out of the budget (an index-only count by country).
                LIMIT \(candidateBudget) + (SELECT count(*) FROM experiences WHERE country_code = \(request.countryCode))
            )
            SELECT e.id, e.country_code, e.region, e.income_group, e.sectors,
                   e.outcome_strength::int8 AS outcome_strength, e.self_reported, e.search
            FROM preselected s JOIN experiences e ON e.id = s.id
            WHERE e.country_code <> \(request.countryCode)
            """,
            logger: logger
        )
        var ranked: [(experience: Experience, score: TextRank.Score)] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            guard let vector = cells["search"].bytes, cells["search"].format == .binary else {
                throw ExchangeError(.invalidData, "the database sent an experience without a binary search vector")
            }
            ranked.append((try Self.scoringPart(cells), try ranker.score(vector)))
        }
        ranked.sort { (lhs: (experience: Experience, score: TextRank.Score), rhs: (experience: Experience, score: TextRank.Score)) -> Bool in
            if lhs.score.weighted != rhs.score.weighted { return lhs.score.weighted > rhs.score.weighted }
            return (lhs.experience.id ?? 0) < (rhs.experience.id ?? 0)
        }
        let candidates = try await withFeedback(ranked.prefix(rankedCandidates).map { candidate in
            MatchScorer.Candidate(
                experience: candidate.experience,
                rank: (candidate.score.weighted * 1000).rounded() / 1000,
                matchedTerms: Set(candidate.score.matched.map { terms[$0].word }).sorted()
            )
        }, logger: logger)
        // The finalists are scored again below, relative to the best of all candidates.
        let scorer = scorer.scaled(to: candidates)
        let chosen = Set(scorer.select(candidates).map(\.experienceID))
        guard !chosen.isEmpty else { return ([], candidates.count) }
        let whole = try await client.query(
            "SELECT \(unescaped: ExperienceRow.columns) FROM experiences e WHERE e.id = ANY(\(Array(chosen)))",
            logger: logger
        )
        var experiences: [Int: Experience] = [:]
        for try await row in whole {
            let experience = try ExperienceRow.decode(row)
            experiences[experience.id ?? 0] = experience
        }
        // A row deleted since the pre-selection is left out.
        let finalists = candidates.compactMap { candidate -> MatchScorer.Candidate? in
            guard let id = candidate.experience.id, chosen.contains(id), let experience = experiences[id] else { return nil }
            var whole = candidate
            whole.experience = experience
            return whole
        }
        return (scorer.select(finalists), candidates.count)
    }

    /// The part of an experience row scoring reads (id, country, region, income group,
    /// sectors, evidence); its texts are left empty until the row is chosen.
    private static func scoringPart(_ cells: PostgresRandomAccessRow) throws -> Experience {
        let regionCode = try cells["region"].decode(String.self)
        let incomeCode = try cells["income_group"].decode(String.self)
        guard let region = Region(rawValue: regionCode), let income = IncomeGroup(rawValue: incomeCode),
              let strength = OutcomeStrength(rawValue: try cells["outcome_strength"].decode(Int.self)) else {
            throw ExchangeError(.invalidData, "experience row has a region, income group or outcome strength this build does not know")
        }
        return Experience(
            id: try cells["id"].decode(Int.self),
            countryCode: try cells["country_code"].decode(String.self),
            countryName: "",
            region: region,
            incomeGroup: income,
            sectors: try cells["sectors"].decode([String].self).compactMap(Sector.init(rawValue:)),
            programme: "",
            startYear: 0,
            endYear: nil,
            problem: "",
            approach: "",
            outcomes: "",
            outcomeStrength: strength,
            sources: [],
            selfReported: try cells["self_reported"].decode(Bool.self)
        )
    }
}
