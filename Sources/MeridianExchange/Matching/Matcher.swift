import Logging
import PostgresNIO

/// Finds the five best-matching experiences of other countries for a request: every
/// experience holding a request word is ranked by text and scored by ``MatchScorer``, which
/// picks — in memory (``MatchIndex``) when the matcher has an index, else in SQL.
///
/// The engine's matching task calls ``match(_:)``; `meridian kb match` does the same.
public struct Matcher: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    public var weights: MatchingWeights
    /// How candidates are pre-selected (see ``Preselection``); ``Preselection/automatic`` by default.
    public var preselection: Preselection
    /// The process's in-memory index, which ``Preselection/automatic`` ranks with when given.
    public var index: MatchIndex?
    /// With ``Preselection/searchIndex``: the rows the plan aims at (see ``CandidatePlan``).
    /// With ``Preselection/postings``: the pools' sizes are ``pools``.
    public var candidateBudget: Int
    /// With ``Preselection/postings``: how many rows each candidate pool keeps.
    public var pools: Pools = .default
    /// The best this many by text rank are scored (all of them by default: the exhaustive
    /// ranking scores every experience holding a request word). A smaller number cuts the
    /// candidates by text before sector, region, income and evidence are counted, which over
    /// a large catalogue changes the five best (benchmarks.md "Matching").
    public var rankedCandidates: Int
    /// With ``Preselection/postings``: how many postings of each request word are read, the
    /// experiences where the word weighs most. With ``Preselection/searchIndex``: a hard bound
    /// on the rows ranked, whatever the estimates said (the first this many found).
    public var candidateCap: Int
    /// With ``Preselection/postings``: order the pre-selection by each posting's weight times
    /// its word's rarity factor, saturated as ``TextRank`` does (the exact text score wherever
    /// a word's postings were all read), rather than by raw tenths, which let common words
    /// repeated in long texts fill the budget. On by default: recall against the exhaustive
    /// ranking at 100,000 experiences rose from 0.33 to 0.77 at equal latency (benchmarks.md).
    public var weightedPreselection = true
    /// The development concepts recognised in requests of any of the four languages.
    public var vocabulary: ConceptVocabulary = .shipped
    /// How many countries a match proposes (``MatchScorer/proposals``): five, more only to
    /// explain an evaluation's misses.
    public var proposals = MatchResult.wanted

    /// Where a match's candidates come from.
    public enum Preselection: String, Sendable, CaseIterable {
        /// ``memory`` when the matcher has an index; without one, ``exhaustive`` while the
        /// catalogue holds at most ``Matcher/exhaustiveLimit`` experiences, ``postings`` above.
        case automatic
        /// The exhaustive ranking, in memory (``MatchIndex``): the same matches and scores as
        /// ``exhaustive``, in milliseconds at 100,000 experiences. Needs ``Matcher/index``.
        case memory
        /// Three candidate pools (``Matcher/Pools``): the best rows by an approximate text score
        /// from the impact-ordered postings (`experience_postings`), those rows reordered with
        /// their profile's score parts, and the experiences of the best profiles holding one of
        /// the request's sectors (`experience_profiles`); every row kept is ranked and scored
        /// exactly. An approximation: an experience no pool reaches is not scored.
        case postings
        /// The GIN index on `search`: the rarest words, then pairs and triples of common ones
        /// (``CandidatePlan``), every row found ranked from its vector. The earlier method,
        /// kept to measure the other against.
        case searchIndex = "search-index"
        /// Every row holding any request word, each ranked from its vector and scored: no
        /// pre-selection at all, the reference the others are measured against
        /// (`bench match --recall`); far too slow for a large catalogue.
        case exhaustive
    }

    /// Up to this many experiences, ``Preselection/automatic`` ranks every candidate.
    public var exhaustiveLimit: Int = 20_000

    public init(
        client: PostgresClient, logger: Logger, weights: MatchingWeights = .default,
        preselection: Preselection = .automatic, index: MatchIndex? = nil,
        candidateBudget: Int? = nil, rankedCandidates: Int = .max, candidateCap: Int? = nil
    ) {
        self.index = index
        self.client = client
        self.logger = logger
        self.weights = weights
        self.preselection = preselection
        let postings = preselection == .postings || preselection == .automatic
        self.candidateBudget = candidateBudget ?? 1_000
        self.rankedCandidates = rankedCandidates
        self.candidateCap = candidateCap ?? (postings ? Self.postingsCap : 2_000)
    }

    /// Postings read per request word by default (``candidateCap``).
    public static let postingsCap = 200

    /// The best-matching experiences of countries other than the requester's.
    /// - Throws: ``ExchangeError`` `.invalidArgument` for a request without words or with a
    ///   malformed country code, or ``Preselection/memory`` without an index;
    ///   database errors as they come.
    public func match(_ request: MatchRequest) async throws -> MatchResult {
        try request.validate()
        var preselection = preselection
        if preselection == .automatic, index != nil { preselection = .memory }
        let index = preselection == .memory ? index : nil
        if preselection == .memory, index == nil {
            throw ExchangeError(.invalidArgument, "the memory pre-selection needs a match index", hint: "give the Matcher a MatchIndex, or choose another pre-selection")
        }
        // The first match of a process loads the catalogue; later ones catch up below.
        if let index, await index.position == nil { try await index.catchUp(client: client, logger: logger) }
        var logger = logger
        logger[metadataKey: "match.country"] = "\(request.countryCode)"
        let language = request.effectiveLanguage
        let concepts = try await recognisedConcepts(request.text, language: language, logger: logger)
        let expansion = concepts.map { vocabulary.concepts[$0.concept].terms(in: .english).joined(separator: "\n") }
        let terms = try await requestTerms(
            request.text, language: language, expansion: expansion.joined(separator: "\n"), since: await index?.position, logger: logger)
        var scorer = MatchScorer(
            request: request, weights: weights, language: language,
            concepts: concepts.map { "\($0.term) → \(vocabulary.concepts[$0.concept].terms(in: .english).first ?? vocabulary.concepts[$0.concept].id)" }
        )
        scorer.proposals = proposals
        guard !terms.terms.isEmpty else {
            return MatchResult(matches: [], candidatesRanked: 0, weights: weights, reasonIfNone: "the request's text has no searchable words (only stop words?); route it back to the program manager")
        }
        let factors = Self.factors(terms.terms, total: terms.total)
        if preselection == .automatic { preselection = terms.total <= exhaustiveLimit ? .exhaustive : .postings }
        switch preselection {
        case .memory:
            guard let index else { preconditionFailure("checked above") }
            if terms.changed { try await index.catchUp(client: client, logger: logger) }
            let ranking = await index.catalogue.rank(terms: terms.terms, factors: factors, scorer: scorer)
            var scaled = scorer
            scaled.bestRank = ranking.bestRank
            let matches = try await finish(ranking.candidates, scorer: scaled, logger: logger)
            return MatchResult(matches: matches, candidatesRanked: ranking.ranked, weights: weights, language: language)
        case .automatic, .postings:
            let (matches, ranked) = try await postingsMatches(terms: terms.terms, factors: factors, scorer: scorer, logger: logger)
            return MatchResult(matches: matches, candidatesRanked: ranked, weights: weights, language: language)
        case .searchIndex:
            let plan = CandidatePlan(terms: terms.terms, total: terms.total, budget: candidateBudget)
            logger.debug("match plan", metadata: ["match.preselection": "\(plan.tsquery)", "match.estimated_rows": "\(plan.estimatedRows)"])
            let ranked = try await vectorCandidates(plan.tsquery, limit: candidateCap, terms: terms.terms, factors: factors, request: request, logger: logger)
            let (matches, count) = try await finish(ranked, terms: terms.terms, scorer: scorer, logger: logger)
            return MatchResult(matches: matches, candidatesRanked: count, weights: weights, language: language)
        case .exhaustive:
            let every = CandidatePlan.anyOf(terms.terms.map(\.lexeme))
            let ranked = try await vectorCandidates(every, limit: nil, terms: terms.terms, factors: factors, request: request, logger: logger)
            let (matches, count) = try await finish(ranked, terms: terms.terms, scorer: scorer, logger: logger)
            return MatchResult(matches: matches, candidatesRanked: count, weights: weights, language: language)
        }
    }

    /// The vocabulary's concepts whose terms in `language` occur in `text` as phrases, both
    /// stemmed with the language's Snowball configuration; each with the first term found.
    func recognisedConcepts(_ text: String, language: Language, logger: Logger) async throws -> [(concept: Int, term: String)] {
        let (terms, indices) = vocabulary.terms(in: language)
        guard !terms.isEmpty else { return [] }
        let rows = try await client.query(
            """
            WITH request AS MATERIALIZED (SELECT to_tsvector(\(language.searchConfiguration)::regconfig, \(text)) AS vector),
            vocabulary AS (
                SELECT v.term, v.concept, v.position, phraseto_tsquery(\(language.searchConfiguration)::regconfig, v.term) AS query
                FROM unnest(\(terms)::text[], \(indices)::int8[]) WITH ORDINALITY AS v(term, concept, position)
            )
            SELECT DISTINCT ON (v.concept) v.concept, v.term
            FROM vocabulary v, request r
            WHERE numnode(v.query) > 0 AND r.vector @@ v.query
            ORDER BY v.concept, v.position
            """,
            logger: logger
        )
        var found: [(concept: Int, term: String)] = []
        for try await (concept, term) in rows.decode((Int, String).self) { found.append((concept, term)) }
        return found
    }

    /// The request's lexemes (with the word each came from) and how many experiences hold each:
    /// the text's under its language's configuration, then the English terms of the concepts
    /// it names (`expansion`) under `english`.
    ///
    /// The document counts (`experience_terms`) and the total (the planner's row count) are
    /// what every path's rarity factors come from, the in-memory index's and the SQL
    /// exhaustive ranking's alike, so the two rank with the same numbers.
    ///
    /// `since`: the index's position; `changed` then says whether anything was written or
    /// deleted since (migration 0020), asked in this statement so that a match whose index is
    /// current makes no extra round trip.
    private func requestTerms(
        _ text: String, language: Language, expansion: String, since: MatchIndex.Position?, logger: Logger
    ) async throws -> (terms: [CandidatePlan.Term], total: Int, changed: Bool) {
        let own = language == .english ? SpellingVariants.expand(text) : text
        let rows = try await client.query(
            """
            WITH words AS (
                SELECT l.lexeme, lower(d.token) AS word, 0 AS origin
                FROM ts_debug(\(language.searchConfiguration)::regconfig, \(own)) AS d CROSS JOIN LATERAL unnest(d.lexemes) AS l(lexeme)
                UNION ALL
                SELECT l.lexeme, lower(d.token), 1
                FROM ts_debug('english'::regconfig, \(SpellingVariants.expand(expansion))) AS d CROSS JOIN LATERAL unnest(d.lexemes) AS l(lexeme)
            )
            SELECT DISTINCT ON (w.lexeme) w.lexeme, w.word, w.origin::int8 AS origin,
                   -- One index probe per word: a join let the planner, guessing 1,000 rows per
                   -- ts_debug, hash all of experience_terms (124,000 rows at 100,000
                   -- experiences: 60 ms a match).
                   coalesce((SELECT t.documents FROM experience_terms t WHERE t.lexeme = w.lexeme), 0)::int8 AS documents,
                   -- The planner's row count; a table never analysed (-1) is counted, up to the
                   -- size that decides whether to rank exhaustively.
                   (SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::int8
                                ELSE (SELECT count(*) FROM (SELECT 1 FROM experiences LIMIT \(exhaustiveLimit + 1)) AS x) END
                    FROM pg_class c WHERE c.oid = 'experiences'::regclass) AS total,
                   coalesce(\(since?.snapshot)::text IS NOT NULL AND (
                       (SELECT s.generation <> \(since?.generation ?? 0)
                               OR coalesce(s.pruned_through >= pg_snapshot_xmin(\(since?.snapshot)::text::pg_snapshot), false)
                        FROM experience_index_state s)
                       OR EXISTS (SELECT 1 FROM experiences x
                                  WHERE x.written_xid >= pg_snapshot_xmin(\(since?.snapshot)::text::pg_snapshot)
                                    AND NOT pg_visible_in_snapshot(x.written_xid, \(since?.snapshot)::text::pg_snapshot))
                       OR EXISTS (SELECT 1 FROM experience_tombstones t
                                  WHERE t.deleted_xid >= pg_snapshot_xmin(\(since?.snapshot)::text::pg_snapshot)
                                    AND NOT pg_visible_in_snapshot(t.deleted_xid, \(since?.snapshot)::text::pg_snapshot))
                   ), false) AS changed
            FROM words w
            -- A lexeme over 2,047 bytes is in no search vector (to_tsvector leaves such words
            -- out) and cannot be in a tsquery either: it would make the ranking statement fail.
            WHERE length(w.lexeme) >= 3 AND octet_length(w.lexeme) < 2048
            ORDER BY w.lexeme, w.origin, length(w.word), w.word
            """,
            logger: logger
        )
        var terms: [CandidatePlan.Term] = []
        var total = 0
        var changed = false
        for try await (lexeme, word, origin, documents, rows, written) in rows.decode((String, String, Int, Int, Int, Bool).self) {
            terms.append(CandidatePlan.Term(word: word, lexeme: lexeme, documents: documents, expanded: origin == 1))
            total = rows
            changed = written
        }
        return (terms, total, changed)
    }

    /// Each term's ``TermWeight`` factor, from the catalogue's term statistics.
    /// A concept's English terms count ``TermWeight/expansionFactor`` of the request's own words.
    static func factors(_ terms: [CandidatePlan.Term], total: Int) -> [Double] {
        terms.map { TermWeight.factor(documents: $0.documents, total: total) * ($0.expanded ? TermWeight.expansionFactor : 1) }
    }

    /// An experience's scoring columns (texts left empty) with its exact text rank.
    typealias Ranked = (experience: Experience, score: TextRank.Score, feedback: FeedbackTally)

    /// The rows holding `tsquery` (the requester's own left out), at most `limit`, each with
    /// its scoring columns and feedback, ranked from its vector.
    ///
    /// ``TextRank`` ranks each row's `search` vector here with the value `ts_rank_cd` of the
    /// request's words would give: PostgreSQL's cover-density ranking costs 20–40 µs a row,
    /// which is what used to make a match take 150–300 ms.
    private func vectorCandidates(
        _ tsquery: String, limit: Int?, terms: [CandidatePlan.Term], factors: [Double], request: MatchRequest, logger: Logger
    ) async throws -> [Ranked] {
        let ranker = TextRank(lexemes: terms.map(\.lexeme), factors: factors)
        let rows = try await client.query(
            """
            SELECT e.id, e.country_code, e.region, e.income_group, e.sectors,
                   e.outcome_strength::int8 AS outcome_strength, e.self_reported, e.search,
                   coalesce(f.useful, 0) AS useful, coalesce(f.not_useful, 0) AS not_useful
            FROM experiences e
            -- Every row may be a candidate here: the feedback is counted once, not per row.
            LEFT JOIN (
                SELECT v.experience_id, count(*) FILTER (WHERE v.useful)::int8 AS useful,
                       count(*) FILTER (WHERE NOT v.useful)::int8 AS not_useful
                FROM experience_feedback v GROUP BY v.experience_id
            ) AS f ON f.experience_id = e.id
            WHERE e.search @@ \(tsquery)::tsquery AND e.country_code <> \(request.countryCode)
            LIMIT \(limit ?? Int(Int64.max))
            """,
            logger: logger
        )
        var ranked: [Ranked] = []
        for try await row in rows {
            ranked.append(try Self.ranked(row.makeRandomAccess(), ranker: ranker))
        }
        return ranked
    }

    /// Scores `ranked` (the best ``rankedCandidates`` by text rank: all by default), picks the
    /// matches and reads only the chosen whole, for their summaries: a row's score does not
    /// depend on its texts, so scoring them again whole gives the same matches.
    func finish(
        _ ranked: [Ranked], terms: [CandidatePlan.Term], scorer: MatchScorer, logger: Logger
    ) async throws -> (matches: [Match], ranked: Int) {
        var ranked = ranked
        if ranked.count > rankedCandidates {
            ranked.sort { lhs, rhs in
                if lhs.score.weighted != rhs.score.weighted { return lhs.score.weighted > rhs.score.weighted }
                return (lhs.experience.id ?? 0) < (rhs.experience.id ?? 0)
            }
            ranked.removeLast(ranked.count - rankedCandidates)
        }
        let candidates = ranked.map { candidate in
            MatchScorer.Candidate(
                experience: candidate.experience,
                rank: (candidate.score.weighted * 1000).rounded() / 1000,
                matchedTerms: Set(candidate.score.matched.map { terms[$0].word }).sorted(),
                feedback: candidate.feedback
            )
        }
        // The finalists are scored again below, relative to the best of all candidates.
        return (try await finish(candidates, scorer: scorer.scaled(to: candidates), logger: logger), candidates.count)
    }

    /// Picks the matches among `candidates` with `scorer` (its ``MatchScorer/bestRank`` set
    /// from all of the request's candidates) and reads only the chosen whole, for their
    /// summaries, then picks again among them whole.
    func finish(_ candidates: [MatchScorer.Candidate], scorer: MatchScorer, logger: Logger) async throws -> [Match] {
        let chosen = Set(scorer.select(candidates).map(\.experienceID))
        guard !chosen.isEmpty else { return [] }
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
        return scorer.select(finalists)
    }

    /// One candidate row (id, country, region, income group, sectors, evidence, `search`,
    /// feedback counts) with its vector ranked; its texts are left empty until it is chosen.
    static func ranked(_ cells: PostgresRandomAccessRow, ranker: TextRank) throws -> Ranked {
        let row = try MatchIndex.Catalogue.Row(cells)
        let experience = Experience(
            id: row.id, countryCode: row.countryCode, countryName: "", region: row.region, incomeGroup: row.income,
            sectors: row.sectors, programme: "", startYear: 0, endYear: nil, problem: "", approach: "", outcomes: "",
            outcomeStrength: row.strength, sources: [], selfReported: row.selfReported
        )
        return (experience, try ranker.score(row.search), row.feedback)
    }
}
