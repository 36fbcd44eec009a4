import Logging
import PostgresNIO

/// Finds the five best-matching experiences of other countries for a request: the database
/// finds and ranks candidates by the request's words, ``MatchScorer`` scores and picks.
///
/// The engine's matching task calls ``match(_:)``; `meridian kb match` does the same.
public struct Matcher: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    public var weights: MatchingWeights
    /// How candidates are pre-selected (see ``Preselection``); ``Preselection/postings`` by default.
    public var preselection: Preselection
    /// Rows the pre-selection keeps: with ``Preselection/postings`` the best this many by their
    /// approximate text score, read with their vectors and ranked exactly; with
    /// ``Preselection/searchIndex`` the rows the plan aims at (see ``CandidatePlan``).
    public var candidateBudget: Int
    /// The best this many by text rank are scored; the rest cannot reach the top five
    /// unless sector, region, income and outcome outweigh the text by a wide margin.
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
        /// ``exhaustive`` while the catalogue holds at most ``Matcher/exhaustiveLimit``
        /// experiences (exact, and within the latency budget at that size), ``postings`` above.
        case automatic
        /// Impact-ordered postings (`experience_postings`): for each request word the
        /// ``Matcher/candidateCap`` experiences where it weighs most, one index range scan
        /// each, summed into an approximate text score. An experience outside a word's
        /// top postings gets no credit for that word in the pre-selection (its exact rank
        /// is computed afterwards for the rows kept).
        case postings
        /// The GIN index on `search`: the rarest words, then pairs and triples of common ones
        /// (``CandidatePlan``), every row found ranked from its vector. The earlier method,
        /// kept to measure the other against.
        case searchIndex = "search-index"
        /// Every row holding any request word, each ranked from its vector: no pre-selection
        /// at all, the reference the other two are measured against (`bench match --recall`);
        /// far too slow for a large catalogue.
        case exhaustive
    }

    /// Up to this many experiences, ``Preselection/automatic`` ranks every candidate.
    public var exhaustiveLimit: Int = 20_000

    public init(
        client: PostgresClient, logger: Logger, weights: MatchingWeights = .default,
        preselection: Preselection = .automatic,
        candidateBudget: Int? = nil, rankedCandidates: Int = 200, candidateCap: Int? = nil
    ) {
        self.client = client
        self.logger = logger
        self.weights = weights
        self.preselection = preselection
        let postings = preselection == .postings || preselection == .automatic
        self.candidateBudget = candidateBudget ?? (postings ? Self.postingsDefaults.budget : 1_000)
        self.rankedCandidates = rankedCandidates
        self.candidateCap = candidateCap ?? (postings ? Self.postingsDefaults.cap : 2_000)
    }

    /// The postings pre-selection's defaults: rows kept and postings read per word.
    public static let postingsDefaults = (budget: 400, cap: 400)

    /// The best-matching experiences of countries other than the requester's.
    /// - Throws: ``ExchangeError`` `.invalidArgument` for a request without words or with a
    ///   malformed country code; database errors as they come.
    public func match(_ request: MatchRequest) async throws -> MatchResult {
        try request.validate()
        var logger = logger
        logger[metadataKey: "match.country"] = "\(request.countryCode)"
        let language = request.effectiveLanguage
        let concepts = try await recognisedConcepts(request.text, language: language, logger: logger)
        let expansion = concepts.map { vocabulary.concepts[$0.concept].terms(in: .english).joined(separator: "\n") }
        let terms = try await requestTerms(request.text, language: language, expansion: expansion.joined(separator: "\n"), logger: logger)
        var scorer = MatchScorer(
            request: request, weights: weights, language: language,
            concepts: concepts.map { "\($0.term) → \(vocabulary.concepts[$0.concept].terms(in: .english).first ?? vocabulary.concepts[$0.concept].id)" }
        )
        scorer.proposals = proposals
        guard !terms.terms.isEmpty else {
            return MatchResult(matches: [], candidatesRanked: 0, weights: weights, reasonIfNone: "the request's text has no searchable words (only stop words?); route it back to the program manager")
        }
        let factors = Self.factors(terms.terms, total: terms.total)
        var preselection = preselection
        if preselection == .automatic { preselection = terms.total <= exhaustiveLimit ? .exhaustive : .postings }
        switch preselection {
        case .automatic, .postings:
            let (matches, ranked) = try await postingsMatches(terms: terms.terms, factors: factors, scorer: scorer, logger: logger)
            return MatchResult(matches: matches, candidatesRanked: ranked, weights: weights, language: language)
        case .searchIndex:
            let plan = CandidatePlan(terms: terms.terms, total: terms.total, budget: candidateBudget)
            logger.debug("match plan", metadata: ["match.preselection": "\(plan.tsquery)", "match.estimated_rows": "\(plan.estimatedRows)"])
            let candidates = try await withFeedback(rankedCandidates(plan: plan, terms: terms.terms, factors: factors, request: request, logger: logger), logger: logger)
            let matches = scorer.select(candidates)
            return MatchResult(matches: matches, candidatesRanked: candidates.count, weights: weights, language: language)
        case .exhaustive:
            let every = CandidatePlan(groups: terms.terms.map { [$0.lexeme] }, estimatedRows: Double(terms.total))
            var unbounded = self
            unbounded.candidateCap = Int(Int32.max)
            let candidates = try await withFeedback(unbounded.rankedCandidates(plan: every, terms: terms.terms, factors: factors, request: request, logger: logger), logger: logger)
            let matches = scorer.select(candidates)
            return MatchResult(matches: matches, candidatesRanked: candidates.count, weights: weights, language: language)
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
    private func requestTerms(
        _ text: String, language: Language, expansion: String, logger: Logger
    ) async throws -> (terms: [CandidatePlan.Term], total: Int) {
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
            SELECT DISTINCT ON (w.lexeme) w.lexeme, w.word, w.origin::int8 AS origin, coalesce(t.documents, 0)::int8 AS documents,
                   -- The planner's row count; a table never analysed (-1) is counted, up to the
                   -- size that decides whether to rank exhaustively.
                   (SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::int8
                                ELSE (SELECT count(*) FROM (SELECT 1 FROM experiences LIMIT \(exhaustiveLimit + 1)) AS x) END
                    FROM pg_class c WHERE c.oid = 'experiences'::regclass) AS total
            FROM words w
            LEFT JOIN experience_terms t ON t.lexeme = w.lexeme
            WHERE length(w.lexeme) >= 3
            ORDER BY w.lexeme, w.origin, length(w.word), w.word
            """,
            logger: logger
        )
        var terms: [CandidatePlan.Term] = []
        var total = 0
        for try await (lexeme, word, origin, documents, rows) in rows.decode((String, String, Int, Int, Int).self) {
            terms.append(CandidatePlan.Term(word: word, lexeme: lexeme, documents: documents, expanded: origin == 1))
            total = rows
        }
        return (terms, total)
    }

    /// Each term's ``TermWeight`` factor, from the catalogue's term statistics.
    /// A concept's English terms count ``TermWeight/expansionFactor`` of the request's own words.
    static func factors(_ terms: [CandidatePlan.Term], total: Int) -> [Double] {
        terms.map { TermWeight.factor(documents: $0.documents, total: total) * ($0.expanded ? TermWeight.expansionFactor : 1) }
    }

    /// The candidates with their officials' feedback (one indexed query for all of them).
    func withFeedback(_ candidates: [MatchScorer.Candidate], logger: Logger) async throws -> [MatchScorer.Candidate] {
        let ids = candidates.compactMap(\.experience.id)
        guard !ids.isEmpty else { return candidates }
        let rows = try await client.query(
            """
            SELECT experience_id, count(*) FILTER (WHERE useful)::int8, count(*) FILTER (WHERE NOT useful)::int8
            FROM experience_feedback WHERE experience_id = ANY(\(ids)) GROUP BY experience_id
            """,
            logger: logger
        )
        var tallies: [Int: FeedbackTally] = [:]
        for try await (id, useful, notUseful) in rows.decode((Int, Int, Int).self) {
            tallies[id] = FeedbackTally(useful: useful, notUseful: notUseful)
        }
        guard !tallies.isEmpty else { return candidates }
        return candidates.map { candidate in
            var candidate = candidate
            candidate.feedback = tallies[candidate.experience.id ?? 0] ?? .none
            return candidate
        }
    }

    /// The candidates the plan pre-selects, ranked by all of the request's words, the best
    /// ``rankedCandidates``, each with the request's words it holds.
    ///
    /// The pre-selection sends each row's `search` vector, and ``TextRank`` ranks it here with
    /// the value `ts_rank_cd` of the request's words would give: PostgreSQL's cover-density
    /// ranking costs 20–40 µs a row, which is what used to make a match take 150–300 ms.
    /// Only the best ``rankedCandidates`` are then read whole.
    private func rankedCandidates(
        plan: CandidatePlan, terms: [CandidatePlan.Term], factors: [Double], request: MatchRequest, logger: Logger
    ) async throws -> [MatchScorer.Candidate] {
        let ranker = TextRank(lexemes: terms.map(\.lexeme), factors: factors)
        let vectors = try await client.query(
            """
            SELECT e.id, e.search FROM experiences e
            WHERE e.search @@ \(plan.tsquery)::tsquery AND e.country_code <> \(request.countryCode)
            LIMIT \(candidateCap)
            """,
            logger: logger
        )
        var scored: [(id: Int, score: TextRank.Score)] = []
        for try await row in vectors {
            let cells = row.makeRandomAccess()
            guard let vector = cells[1].bytes, cells[1].format == .binary else {
                throw ExchangeError(.invalidData, "the database sent an experience without a binary search vector")
            }
            scored.append((try cells[0].decode(Int.self), try ranker.score(vector)))
        }
        scored.sort { (lhs: (id: Int, score: TextRank.Score), rhs: (id: Int, score: TextRank.Score)) -> Bool in
            if lhs.score.weighted != rhs.score.weighted { return lhs.score.weighted > rhs.score.weighted }
            return lhs.id < rhs.id
        }
        let best = scored.prefix(rankedCandidates)
        guard !best.isEmpty else { return [] }
        let rows = try await client.query(
            "SELECT \(unescaped: ExperienceRow.columns) FROM experiences e WHERE e.id = ANY(\(best.map { $0.id }))",
            logger: logger
        )
        var experiences: [Int: Experience] = [:]
        for try await row in rows {
            let experience = try ExperienceRow.decode(row)
            experiences[experience.id ?? 0] = experience
        }
        // A row deleted since the pre-selection is left out.
        return best.compactMap { candidate in
            experiences[candidate.id].map { experience in
                MatchScorer.Candidate(
                    experience: experience,
                    rank: (candidate.score.weighted * 1000).rounded() / 1000,
                    matchedTerms: Set(candidate.score.matched.map { terms[$0].word }).sorted()
                )
            }
        }
    }
}
