import Logging
import PostgresNIO

extension MatchIndex {
    /// What one catch-up read: the experiences written and the ids deleted since a position,
    /// the position after it, or that the index must reload in full.
    struct Changes {
        var rows: [Catalogue.Row]
        var deleted: [Int]
        var position: Position
        var reload: Bool
    }

    /// The scoring columns and `search` of experiences, with their officials' feedback counted.
    private static let columns = """
        e.id, e.country_code, e.region, e.income_group, e.sectors, e.outcome_strength::int8 AS outcome_strength,
        e.self_reported, e.search
        """

    /// The whole catalogue, read in one statement (one snapshot), and the position it was read at.
    static func load(client: PostgresClient, logger: Logger) async throws -> (Catalogue, Position) {
        let rows = try await client.query(
            """
            SELECT 0::int8 AS kind, pg_current_snapshot()::text AS snapshot, s.generation,
                   NULL::int8 AS id, NULL::text AS country_code, NULL::text AS region, NULL::text AS income_group,
                   NULL::text[] AS sectors, NULL::int8 AS outcome_strength, NULL::bool AS self_reported, NULL::tsvector AS search,
                   NULL::int8 AS useful, NULL::int8 AS not_useful
            FROM experience_index_state s
            UNION ALL
            SELECT 2, NULL, NULL, \(unescaped: columns), coalesce(f.useful, 0), coalesce(f.not_useful, 0)
            FROM experiences e
            LEFT JOIN (
                SELECT v.experience_id, count(*) FILTER (WHERE v.useful)::int8 AS useful,
                       count(*) FILTER (WHERE NOT v.useful)::int8 AS not_useful
                FROM experience_feedback v GROUP BY v.experience_id
            ) AS f ON f.experience_id = e.id
            """,
            logger: logger
        )
        var catalogue = Catalogue()
        var position: Position?
        for try await row in rows {
            let cells = row.makeRandomAccess()
            if try cells["kind"].decode(Int.self) == 0 {
                position = Position(snapshot: try cells["snapshot"].decode(String.self), generation: try cells["generation"].decode(Int.self))
            } else {
                try catalogue.insert(try Catalogue.Row(cells))
            }
        }
        guard let position else { throw ExchangeError(.invalidData, "experience_index_state has no row: run `meridian db migrate`") }
        return (catalogue, position)
    }

    /// What was written or deleted by the transactions the snapshot of `position` did not see
    /// as complete — among them every one still open when that read ran — read in one
    /// statement (one snapshot). Nothing but the new position when the index must reload:
    /// the catalogue was truncated (another generation) or tombstones were pruned that the
    /// previous read may not have seen.
    static func changes(since position: Position, client: PostgresClient, logger: Logger) async throws -> Changes {
        let since = position.snapshot
        let rows = try await client.query(
            """
            WITH state AS MATERIALIZED (
                SELECT s.generation,
                       s.generation <> \(position.generation)
                       OR coalesce(s.pruned_through >= pg_snapshot_xmin(\(since)::text::pg_snapshot), false) AS reload
                FROM experience_index_state s
            )
            SELECT 0::int8 AS kind, pg_current_snapshot()::text AS snapshot, s.generation, s.reload,
                   NULL::int8 AS id, NULL::text AS country_code, NULL::text AS region, NULL::text AS income_group,
                   NULL::text[] AS sectors, NULL::int8 AS outcome_strength, NULL::bool AS self_reported, NULL::tsvector AS search,
                   NULL::int8 AS useful, NULL::int8 AS not_useful
            FROM state s
            UNION ALL
            SELECT 1, NULL, NULL, NULL, t.experience_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
            FROM experience_tombstones t
            WHERE NOT (SELECT reload FROM state)
              AND t.deleted_xid >= pg_snapshot_xmin(\(since)::text::pg_snapshot)
              AND NOT pg_visible_in_snapshot(t.deleted_xid, \(since)::text::pg_snapshot)
            UNION ALL
            SELECT 2, NULL, NULL, NULL, \(unescaped: columns), f.useful, f.not_useful
            FROM experiences e
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE v.useful)::int8 AS useful, count(*) FILTER (WHERE NOT v.useful)::int8 AS not_useful
                FROM experience_feedback v WHERE v.experience_id = e.id
            ) AS f
            WHERE NOT (SELECT reload FROM state)
              AND e.written_xid >= pg_snapshot_xmin(\(since)::text::pg_snapshot)
              AND NOT pg_visible_in_snapshot(e.written_xid, \(since)::text::pg_snapshot)
            """,
            logger: logger
        )
        var changes = Changes(rows: [], deleted: [], position: position, reload: false)
        for try await row in rows {
            let cells = row.makeRandomAccess()
            switch try cells["kind"].decode(Int.self) {
            case 0:
                changes.position = Position(snapshot: try cells["snapshot"].decode(String.self), generation: try cells["generation"].decode(Int.self))
                changes.reload = try cells["reload"].decode(Bool.self)
            case 1: changes.deleted.append(try cells["id"].decode(Int.self))
            default: changes.rows.append(try Catalogue.Row(cells))
            }
        }
        return changes
    }
}

extension MatchIndex.Catalogue.Row {
    /// One experience's scoring columns and binary `search` vector as matching reads them
    /// (id, country, region, income group, sectors, evidence, self-reported, feedback counts):
    /// the one decoder of the index's reads and of the SQL rankings' candidates.
    init(_ cells: PostgresRandomAccessRow) throws {
        guard let search = cells["search"].bytes, cells["search"].format == .binary else {
            throw ExchangeError(.invalidData, "the database sent an experience without a binary search vector")
        }
        let regionCode = try cells["region"].decode(String.self)
        let incomeCode = try cells["income_group"].decode(String.self)
        guard let region = Region(rawValue: regionCode), let income = IncomeGroup(rawValue: incomeCode),
              let strength = OutcomeStrength(rawValue: try cells["outcome_strength"].decode(Int.self)) else {
            throw ExchangeError(.invalidData, "experience row has a region, income group or outcome strength this build does not know")
        }
        self.init(
            id: try cells["id"].decode(Int.self), countryCode: try cells["country_code"].decode(String.self),
            region: region, income: income,
            sectors: try cells["sectors"].decode([String].self).compactMap(Sector.init(rawValue:)),
            strength: strength, selfReported: try cells["self_reported"].decode(Bool.self),
            feedback: FeedbackTally(useful: try cells["useful"].decode(Int.self), notUseful: try cells["not_useful"].decode(Int.self)),
            search: search
        )
    }
}
