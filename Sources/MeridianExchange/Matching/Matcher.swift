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
    /// Rows the pre-selection aims at (see ``CandidatePlan``).
    public var candidateBudget: Int
    /// The best this many by text rank are scored; the rest cannot reach the top five
    /// unless sector, region, income and outcome outweigh the text by a wide margin.
    public var rankedCandidates: Int
    /// A hard bound on the rows ranked, whatever the estimates said: when the pre-selection
    /// finds more (a request of only common words), the first this many found are ranked,
    /// in no particular order. It keeps the worst case bounded at the cost of recall.
    public var candidateCap: Int

    public init(
        client: PostgresClient, logger: Logger, weights: MatchingWeights = .default,
        candidateBudget: Int = 1_000, rankedCandidates: Int = 200, candidateCap: Int = 2_000
    ) {
        self.client = client
        self.logger = logger
        self.weights = weights
        self.candidateBudget = candidateBudget
        self.rankedCandidates = rankedCandidates
        self.candidateCap = candidateCap
    }

    /// The best-matching experiences of countries other than the requester's.
    /// - Throws: ``ExchangeError`` `.invalidArgument` for a request without words or with a
    ///   malformed country code; database errors as they come.
    public func match(_ request: MatchRequest) async throws -> MatchResult {
        try request.validate()
        var logger = logger
        logger[metadataKey: "match.country"] = "\(request.countryCode)"
        let terms = try await requestTerms(request.text, logger: logger)
        guard !terms.terms.isEmpty else {
            return MatchResult(matches: [], candidatesRanked: 0, weights: weights, reasonIfNone: "the request's text has no searchable words (only stop words?); route it back to the program manager")
        }
        let plan = CandidatePlan(terms: terms.terms, total: terms.total, budget: candidateBudget)
        logger.debug("match plan", metadata: ["match.preselection": "\(plan.tsquery)", "match.estimated_rows": "\(plan.estimatedRows)"])
        let candidates = try await rankedCandidates(plan: plan, terms: terms.terms, request: request, logger: logger)
        let matches = MatchScorer(request: request, weights: weights).select(candidates)
        return MatchResult(matches: matches, candidatesRanked: candidates.count, weights: weights)
    }

    /// The request's lexemes (with the word each came from) and how many experiences hold each.
    private func requestTerms(_ text: String, logger: Logger) async throws -> (terms: [CandidatePlan.Term], total: Int) {
        let rows = try await client.query(
            """
            SELECT DISTINCT ON (l.lexeme) l.lexeme, lower(d.token) AS word, coalesce(t.documents, 0)::int8 AS documents,
                   (SELECT greatest(c.reltuples, 0)::int8 FROM pg_class c WHERE c.oid = 'experiences'::regclass) AS total
            FROM ts_debug('english', \(SpellingVariants.expand(text))) AS d
            CROSS JOIN LATERAL unnest(d.lexemes) AS l(lexeme)
            LEFT JOIN experience_terms t ON t.lexeme = l.lexeme
            WHERE length(l.lexeme) >= 3
            ORDER BY l.lexeme, length(d.token), d.token
            """,
            logger: logger
        )
        var terms: [CandidatePlan.Term] = []
        var total = 0
        for try await (lexeme, word, documents, rows) in rows.decode((String, String, Int, Int).self) {
            terms.append(CandidatePlan.Term(word: word, lexeme: lexeme, documents: documents))
            total = rows
        }
        return (terms, total)
    }

    /// The candidates the plan pre-selects, ranked by all of the request's words, the best
    /// ``rankedCandidates``, each with the request's words it holds.
    private func rankedCandidates(
        plan: CandidatePlan, terms: [CandidatePlan.Term], request: MatchRequest, logger: Logger
    ) async throws -> [MatchScorer.Candidate] {
        let rows = try await client.query(
            """
            WITH preselected AS MATERIALIZED (
                SELECT e.id FROM experiences e
                WHERE e.search @@ \(plan.tsquery)::tsquery AND e.country_code <> \(request.countryCode)
                LIMIT \(candidateCap)
            ), candidates AS (
                SELECT e.id, ts_rank_cd(e.search, \(CandidatePlan.anyOf(terms.map(\.lexeme)))::tsquery)::float8 AS rank
                FROM preselected p JOIN experiences e ON e.id = p.id
                ORDER BY rank DESC, e.id
                LIMIT \(rankedCandidates)
            )
            SELECT \(unescaped: ExperienceRow.columns), c.rank,
                   ARRAY(SELECT DISTINCT w.word FROM unnest(\(terms.map(\.lexeme))::text[], \(terms.map(\.word))::text[]) AS w(lexeme, word)
                         WHERE w.lexeme = ANY(tsvector_to_array(e.search)) ORDER BY w.word) AS matched
            FROM candidates c JOIN experiences e ON e.id = c.id
            ORDER BY c.rank DESC, e.id
            """,
            logger: logger
        )
        var candidates: [MatchScorer.Candidate] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            candidates.append(MatchScorer.Candidate(
                experience: try ExperienceRow.decode(row),
                rank: try cells["rank"].decode(Double.self),
                matchedTerms: try cells["matched"].decode([String].self)
            ))
        }
        return candidates
    }
}
