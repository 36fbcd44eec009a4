import Foundation
import Logging
import PostgresNIO

/// Reads and writes the `experiences` table; every query binds its values.
public struct ExperienceStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// What an upsert did.
    public struct WriteCount: Sendable, Equatable, Codable {
        public var inserted: Int
        public var updated: Int

        public init(inserted: Int, updated: Int) {
            self.inserted = inserted
            self.updated = updated
        }
    }

    /// Separates list items when arrays of arrays travel as one text per row through
    /// `unnest` (PostgreSQL arrays must be rectangular). Validation refuses it in values.
    static let listSeparator = "\u{1F}"

    /// Inserts or updates `experiences` (keyed by country and programme) in one statement on
    /// `connection`, so that a caller's transaction decides whether they all land.
    /// - Parameter refreshTerms: refresh the term statistics the matcher plans with; bulk
    ///   loaders pass `false` and call ``refreshTermStatistics(on:logger:)`` once at the end.
    public static func upsert(
        _ experiences: [Experience], on connection: PostgresConnection, logger: Logger, refreshTerms: Bool = true
    ) async throws -> WriteCount {
        var count = WriteCount(inserted: 0, updated: 0)
        guard !experiences.isEmpty else { return count }
        let summaries = try experiences.map { try summariesJSON($0.summaries) }
        let rows = try await connection.query(
            """
            INSERT INTO experiences (country_code, country_name, region, income_group, sectors, programme,
                start_year, end_year, problem, approach, outcomes, outcome_strength, sources, provenance, summaries,
                self_reported)
            SELECT code, name, region, income, string_to_array(sectors, \(listSeparator)), programme,
                start_year, NULLIF(end_year, 0), problem, approach, outcomes, strength, string_to_array(sources, \(listSeparator)),
                NULLIF(provenance, ''), summaries::jsonb, self_reported
            FROM unnest(\(experiences.map(\.countryCode)), \(experiences.map(\.countryName)),
                        \(experiences.map(\.region.rawValue)), \(experiences.map(\.incomeGroup.rawValue)),
                        \(experiences.map { $0.sectors.map(\.rawValue).joined(separator: listSeparator) }),
                        \(experiences.map(\.programme)), \(experiences.map(\.startYear)), \(experiences.map { $0.endYear ?? 0 }),
                        \(experiences.map(\.problem)), \(experiences.map(\.approach)), \(experiences.map(\.outcomes)),
                        \(experiences.map(\.outcomeStrength.rawValue)),
                        \(experiences.map { $0.sources.joined(separator: listSeparator) }),
                        \(experiences.map { $0.provenance ?? "" }), \(summaries), \(experiences.map(\.selfReported)))
                AS input(code, name, region, income, sectors, programme, start_year, end_year, problem, approach,
                         outcomes, strength, sources, provenance, summaries, self_reported)
            ON CONFLICT (country_code, programme) DO UPDATE SET
                country_name = excluded.country_name, region = excluded.region, income_group = excluded.income_group,
                sectors = excluded.sectors, start_year = excluded.start_year, end_year = excluded.end_year,
                problem = excluded.problem, approach = excluded.approach, outcomes = excluded.outcomes,
                outcome_strength = excluded.outcome_strength, sources = excluded.sources,
                provenance = excluded.provenance, summaries = excluded.summaries, self_reported = excluded.self_reported,
                imported_at = now()
            RETURNING (xmax = 0) AS inserted
            """,
            logger: logger
        )
        for try await inserted in rows.decode(Bool.self) {
            if inserted { count.inserted += 1 } else { count.updated += 1 }
        }
        if refreshTerms { try await refreshTermStatistics(on: connection, logger: logger) }
        return count
    }

    /// A summaries dictionary as the JSON object the `summaries` column holds.
    static func summariesJSON(_ summaries: [String: String]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: summaries, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Recounts how many experiences hold each lexeme (`experience_terms`), which the matcher
    /// uses to pick selective terms, and merges the search index's pending list. Takes about a
    /// second and a half per 100,000 experiences.
    ///
    /// A GIN index takes new rows into a pending list (up to `gin_pending_list_limit`, 4 MB by
    /// default) that every search then reads in full until autovacuum merges it; right after a
    /// large import that slowed matches (`meridian bench match`, README), so the import merges
    /// it at once. It also analyses `experiences`, whose row count the matcher reads.
    public static func refreshTermStatistics(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("REFRESH MATERIALIZED VIEW experience_terms", logger: logger)
        // The matcher decides between exhaustive and pre-selected ranking by the planner's row
        // count, which a large import leaves stale until autovacuum gets to it.
        try await connection.query("ANALYZE experiences", logger: logger)
        try await connection.query("SELECT gin_clean_pending_list('experiences_search_idx'::regclass)", logger: logger)
    }

    /// Vacuums and analyses the tables matching reads through index-only scans
    /// (`experience_postings`, `experience_profiles`), after an import has committed.
    ///
    /// Rows an import writes are not yet marked all-visible, so until (auto)vacuum passes
    /// every posting a match reads costs a fetch of its table page as well: right after
    /// loading 100,000 experiences p95 was 129 ms against 53–70 ms once vacuumed
    /// (benchmarks.md "Matching"). `VACUUM` cannot run inside a transaction, so this is a
    /// step of its own after the import's; it only visits pages changed since the last one.
    public static func settle(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("VACUUM (ANALYZE) experience_postings, experience_profiles", logger: logger)
    }

    /// The experience with `id`, or `nil`.
    public func experience(id: Int) async throws -> Experience? {
        let rows = try await client.query(
            "SELECT \(unescaped: ExperienceRow.columns) FROM experiences e WHERE e.id = \(id)", logger: logger
        )
        for try await row in rows { return try ExperienceRow.decode(row) }
        return nil
    }

    /// Experiences by country and programme, optionally only one country's, one sector's or
    /// one region's.
    public func list(countryCode: String? = nil, sector: Sector? = nil, region: Region? = nil, limit: Int = 1000) async throws -> [Experience] {
        try await listPage(countryCode: countryCode, sector: sector, region: region, limit: limit).experiences
    }

    /// The first `limit` of ``list(countryCode:sector:region:limit:)`` and how many there are
    /// in all, in one statement: a page shows 30 of thousands without reading them.
    public func listPage(countryCode: String? = nil, sector: Sector? = nil, region: Region? = nil,
                         limit: Int) async throws -> (experiences: [Experience], total: Int) {
        let rows = try await client.query(
            """
            SELECT \(unescaped: ExperienceRow.columns), count(*) OVER () AS total FROM experiences e
            WHERE (\(countryCode)::text IS NULL OR e.country_code = \(countryCode))
              AND (\(sector?.rawValue)::text IS NULL OR \(sector?.rawValue) = ANY(e.sectors))
              AND (\(region?.rawValue)::text IS NULL OR e.region = \(region?.rawValue))
            ORDER BY e.country_code, e.programme
            LIMIT \(limit)
            """,
            logger: logger
        )
        var result: [Experience] = [], total = 0
        for try await row in rows {
            result.append(try ExperienceRow.decode(row))
            total = try row.makeRandomAccess()["total"].decode(Int.self)
        }
        return (result, total)
    }

    /// One hit of a full-text search.
    public struct SearchHit: Sendable, Codable {
        public var experience: Experience
        /// `ts_rank_cd` of the query against the weighted document (programme and problem
        /// count most, then approach, then outcomes).
        public var rank: Double
    }

    /// Experiences that contain every word of `text` (web-search syntax: `"a phrase"`,
    /// `or`, `-word`), best first; when none contains them all, those with any of them.
    public func search(_ text: String, limit: Int = 20) async throws -> [SearchHit] {
        try await searchPage(text, limit: limit).hits
    }

    /// The best `limit` of ``search(_:limit:)`` among one sector's or one region's experiences
    /// (narrowed in the statement: the best of the sector, not the sector's among the best of
    /// all), with how many hold the words in all.
    public func searchPage(_ text: String, sector: Sector? = nil, region: Region? = nil,
                           limit: Int) async throws -> (hits: [SearchHit], total: Int) {
        let strict = try await search(text, sector: sector, region: region, limit: limit, anyWord: false)
        if !strict.hits.isEmpty { return strict }
        return try await search(text, sector: sector, region: region, limit: limit, anyWord: true)
    }

    private func search(_ text: String, sector: Sector?, region: Region?, limit: Int, anyWord: Bool) async throws -> (hits: [SearchHit], total: Int) {
        let sector = sector?.rawValue, region = region?.rawValue
        let query: PostgresQuery = anyWord
            ? """
              WITH q AS (
                  SELECT string_agg('''' || replace(replace(l, '\\', '\\\\'), '''', '''''') || '''', ' | ')::tsquery AS query
                  FROM (SELECT DISTINCT unnest(d.lexemes) AS l FROM ts_debug('english', \(text)) d) AS t WHERE l <> ''
              )
              SELECT \(unescaped: ExperienceRow.columns), ts_rank_cd(e.search, q.query)::float8 AS rank, count(*) OVER () AS total
              FROM experiences e, q WHERE e.search @@ q.query
                AND (\(sector)::text IS NULL OR \(sector) = ANY(e.sectors)) AND (\(region)::text IS NULL OR e.region = \(region))
              ORDER BY rank DESC, e.id LIMIT \(limit)
              """
            : """
              WITH q AS (SELECT websearch_to_tsquery('english', \(text)) AS query)
              SELECT \(unescaped: ExperienceRow.columns), ts_rank_cd(e.search, q.query)::float8 AS rank, count(*) OVER () AS total
              FROM experiences e, q WHERE e.search @@ q.query
                AND (\(sector)::text IS NULL OR \(sector) = ANY(e.sectors)) AND (\(region)::text IS NULL OR e.region = \(region))
              ORDER BY rank DESC, e.id LIMIT \(limit)
              """
        let rows = try await client.query(query, logger: logger)
        var hits: [SearchHit] = [], total = 0
        for try await row in rows {
            let cells = row.makeRandomAccess()
            hits.append(SearchHit(experience: try ExperienceRow.decode(row), rank: try cells["rank"].decode(Double.self)))
            total = try cells["total"].decode(Int.self)
        }
        return (hits, total)
    }
}

extension ExperienceStore {
    /// A country's region and income group: from the country table (``CountryTable``), else
    /// what the knowledge base records for it; what a match request needs when the caller does
    /// not say. `nil` when neither knows the country whole.
    public func countryProfile(_ countryCode: String) async throws -> (name: String, region: Region, incomeGroup: IncomeGroup)? {
        if let country = try CountryTable.shipped().country(countryCode), let region = country.region, let income = country.incomeGroup {
            return (country.name, region, income)
        }
        return try await recordedProfile(countryCode)
    }

    /// The region and income group of a country's first experience in the knowledge base.
    private func recordedProfile(_ countryCode: String) async throws -> (name: String, region: Region, incomeGroup: IncomeGroup)? {
        let rows = try await client.query(
            "SELECT country_name, region, income_group FROM experiences WHERE country_code = \(countryCode) ORDER BY id LIMIT 1",
            logger: logger
        )
        for try await (name, region, income) in rows.decode((String, String, String).self) {
            guard let region = Region(rawValue: region), let income = IncomeGroup(rawValue: income) else { return nil }
            return (name, region, income)
        }
        return nil
    }
}
