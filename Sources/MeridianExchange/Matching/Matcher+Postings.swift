import Logging
import PostgresNIO

extension Matcher {
    /// How many rows each of the postings path's pools keeps (see
    /// ``postingsMatches(terms:factors:scorer:logger:)``).
    public struct Pools: Sendable, Equatable {
        /// The best rows by approximate text score that are looked up to blend with their profile.
        public var text: Int
        /// Kept by approximate text score alone (a subset of ``text``).
        public var bestText: Int
        /// Kept of ``text`` by profile parts plus the approximate text component.
        public var blended: Int
        /// (region, income group, evidence) combinations, best first, whose experiences holding
        /// one of the request's sectors are looked at.
        public var combinations: Int
        /// Kept of those by profile parts, ties broken by the approximate text score.
        public var profile: Int

        public init(text: Int, bestText: Int, blended: Int, combinations: Int, profile: Int) {
            self.text = text
            self.bestText = bestText
            self.blended = blended
            self.combinations = combinations
            self.profile = profile
        }

        /// The defaults, measured at 100,000 experiences (docs/benchmarks.md).
        public static let `default` = Pools(text: 400, bestText: 50, blended: 150, combinations: 40, profile: 300)
    }

    /// The matches the postings path finds, and how many rows it ranked exactly.
    ///
    /// Over a large catalogue the five best matches are decided mostly by the parts of the
    /// score that are not text — shared sectors, region, income group, evidence — among
    /// experiences whose text ranks are close; they are rarely the best few hundred by text.
    /// So one statement gathers three pools and sends back the rows of their union, with
    /// their `search` vectors, the columns scoring needs and their feedback, never their texts:
    ///
    /// - an approximate text score per experience from the impact-ordered postings (for each
    ///   request lexeme the ``candidateCap`` experiences where it weighs most, one index range
    ///   scan each, weighted as ``TextRank`` weighs — exact where a word's postings were all
    ///   read, a lower bound otherwise); of its best ``Pools/text`` rows, the
    ///   ``Pools/bestText`` best by it and the ``Pools/blended`` best by profile parts
    ///   (``ProfileParts``, read from ``MatchScorer``) plus the approximate text component;
    /// - `experience_profiles` (migration 0019): the experiences holding one of the request's
    ///   sectors in the ``Pools/combinations`` (region, income group, evidence) combinations
    ///   worth most, the ``Pools/profile`` best by their profile parts, ties broken by the
    ///   approximate text score.
    ///
    /// ``TextRank`` then ranks every row exactly, ``MatchScorer`` scores every one, and only
    /// the chosen (at most five) are read whole for their summaries. The pools decide which
    /// rows are scored, never a score: what is missed is an experience none of them reached.
    func postingsMatches(
        terms: [CandidatePlan.Term], factors: [Double], scorer: MatchScorer, logger: Logger
    ) async throws -> (matches: [Match], ranked: Int) {
        let request = scorer.request
        let lexemes = terms.map(\.lexeme)
        let ranker = TextRank(lexemes: lexemes, factors: factors)
        let profile = ProfileParts(scorer: scorer)
        let parts = profile.arrays
        let combinations = profile.sectors.isEmpty ? [] : Array(profile.combinations.prefix(pools.combinations))
        let rows = try await client.query(
            """
            WITH approx AS MATERIALIZED (
                SELECT p.experience_id AS id,
                       sum(CASE WHEN \(weightedPreselection) THEN q.factor * 2 * p.tenths / (p.tenths + 10.0::float8)
                                ELSE p.tenths::float8 END) AS approx
                FROM unnest(\(lexemes)::text[], \(factors)::float8[]) AS q(lexeme, factor)
                CROSS JOIN LATERAL (
                    SELECT x.experience_id, x.tenths FROM experience_postings x
                    WHERE x.lexeme = q.lexeme
                    ORDER BY x.tenths DESC, x.experience_id
                    LIMIT \(candidateCap)
                ) AS p
                GROUP BY p.experience_id
            ),
            best_text AS MATERIALIZED (
                SELECT id, approx FROM approx ORDER BY approx DESC, id LIMIT \(pools.text)
            ),
            blended AS MATERIALIZED (
                SELECT t.id, t.approx,
                       (\(profile.sector)::float8[])[1 + (SELECT count(*) FROM unnest(\(profile.sectors.map(\.rawValue))::text[]) AS s
                                                           WHERE s = ANY(e.sectors))::int]
                       + (\(parts.regionParts)::float8[])[array_position(\(parts.regions)::text[], e.region)]
                       + (\(parts.incomeParts)::float8[])[array_position(\(parts.incomes)::text[], e.income_group)]
                       + (\(parts.outcomeParts)::float8[])[1 + e.outcome_strength * 2 + e.self_reported::int]
                       -- the text component as MatchScorer computes it: relative to the best
                       -- candidate (here the best estimate), never below the reference
                       + \(weights.text) * t.approx / GREATEST(max(t.approx) OVER (), \(weights.textReference)) AS key
                FROM best_text t JOIN experiences e ON e.id = t.id
                WHERE e.country_code <> \(request.countryCode)
            ),
            by_profile AS (
                SELECT b.id,
                       (\(profile.sector)::float8[])[1 + b.shared::int]
                       + (\(parts.regionParts)::float8[])[array_position(\(parts.regions)::text[], b.region)]
                       + (\(parts.incomeParts)::float8[])[array_position(\(parts.incomes)::text[], b.income_group)]
                       + (\(parts.outcomeParts)::float8[])[1 + b.outcome_strength * 2 + b.self_reported::int] AS key,
                       coalesce(a.approx, 0) AS approx
                FROM (
                    SELECT x.experience_id AS id, x.region, x.income_group, x.outcome_strength, x.self_reported, count(*) AS shared
                    FROM unnest(\(profile.sectors.map(\.rawValue))::text[]) AS s(sector)
                    CROSS JOIN unnest(\(combinations.map(\.region.rawValue))::text[], \(combinations.map(\.income.rawValue))::text[],
                                      \(combinations.map(\.outcome.strength.rawValue))::int2[], \(combinations.map(\.outcome.selfReported))::bool[])
                        AS c(region, income_group, outcome_strength, self_reported)
                    -- One index range scan per sector and combination (OFFSET 0 keeps the
                    -- planner from turning them into a scan of the whole table).
                    CROSS JOIN LATERAL (
                        SELECT y.experience_id, y.region, y.income_group, y.outcome_strength, y.self_reported
                        FROM experience_profiles y
                        WHERE y.sector = s.sector AND y.region = c.region AND y.income_group = c.income_group
                          AND y.outcome_strength = c.outcome_strength AND y.self_reported = c.self_reported
                        OFFSET 0
                    ) AS x
                    GROUP BY x.experience_id, x.region, x.income_group, x.outcome_strength, x.self_reported
                ) AS b
                LEFT JOIN approx a ON a.id = b.id
                -- By profile first: the approximate text score is a partial sum, known only
                -- for the rows the postings reached, so it only breaks ties here.
                ORDER BY key DESC, approx DESC, b.id
                LIMIT \(pools.profile)
            ),
            chosen AS (
                (SELECT id FROM blended ORDER BY approx DESC, id LIMIT \(pools.bestText))
                UNION (SELECT id FROM blended ORDER BY key DESC, id LIMIT \(pools.blended))
                UNION (SELECT id FROM by_profile)
            )
            SELECT e.id, e.country_code, e.region, e.income_group, e.sectors,
                   e.outcome_strength::int8 AS outcome_strength, e.self_reported, e.search,
                   f.useful, f.not_useful
            FROM chosen c JOIN experiences e ON e.id = c.id
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE v.useful)::int8 AS useful, count(*) FILTER (WHERE NOT v.useful)::int8 AS not_useful
                FROM experience_feedback v WHERE v.experience_id = e.id
            ) AS f
            WHERE e.country_code <> \(request.countryCode)
            """,
            logger: logger
        )
        var ranked: [Ranked] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            ranked.append(try Self.ranked(cells, ranker: ranker))
        }
        return try await finish(ranked, terms: terms, scorer: scorer, logger: logger)
    }
}
