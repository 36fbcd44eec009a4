import Foundation
import Logging
import PostgresNIO

/// The matches of an exchange as stored by the matching task: one round per run of the
/// task (a re-match adds a round), each with up to five countries and why they matched.
public struct MatchRound: Sendable, Codable, Equatable {
    public var round: Int
    public var status: MatchResult.Status
    /// For people: "only 3 countries match…", or why none does.
    public var note: String
    public var candidatesRanked: Int
    public var matchedAt: Date
    public var matches: [Match]
}

enum MatchStore {
    /// Stores `result` as the round of job `jobID`; a retried job finds its round already
    /// stored and gets it back unchanged.
    static func store(_ result: MatchResult, exchange: UUID, jobID: Int64, now: Date,
                      on connection: PostgresConnection, logger: Logger) async throws -> (round: Int, stored: Bool) {
        let existing = try await connection.query(
            "SELECT round FROM exchange_match_rounds WHERE job_id = \(jobID)", logger: logger).collect()
        if let row = existing.first { return (try row.decode(Int.self), false) }
        let next = try await connection.query(
            "SELECT coalesce(max(round), 0) + 1 FROM exchange_match_rounds WHERE exchange_id = \(exchange)", logger: logger).collect()
        let round = try next[0].decode(Int.self)
        try await connection.query("""
            INSERT INTO exchange_match_rounds (exchange_id, round, job_id, status, note, candidates_ranked, matched_at)
            VALUES (\(exchange), \(round), \(jobID), \(result.status.rawValue), \(result.note), \(result.candidatesRanked), \(now))
            """, logger: logger)
        for (index, match) in result.matches.prefix(MatchResult.wanted).enumerated() {
            try await connection.query("""
                INSERT INTO exchange_matches (exchange_id, round, rank, country_code, country_name, experience_id, programme, years,
                                              score, parts, summary, reasons, sources)
                VALUES (\(exchange), \(round), \(index + 1), \(match.countryCode), \(match.countryName), \(match.experienceID),
                        \(match.programme), \(match.years), \(match.score), \(try JSONText.encode(match.parts))::jsonb,
                        \(match.summary), \(try JSONText.encode(match.reasons))::jsonb, \(match.sources))
                """, logger: logger)
        }
        return (round, true)
    }

    /// The latest round, or `nil` before matching ran.
    static func latest(_ exchange: UUID, on connection: PostgresConnection, logger: Logger) async throws -> MatchRound? {
        let rows = try await connection.query("""
            SELECT \(unescaped: latestAggregate(of: "x.id")) FROM (SELECT \(exchange)::uuid AS id) x
            """, logger: logger).collect()
        return try ChildRows.decodeOne(RoundColumns.self, from: try rows.first?.decode(String?.self))?.round
    }

    /// The latest round of `exchange` (an SQL expression) with its matches best first, as one
    /// ``ChildRows`` row of ``RoundColumns`` (`NULL` before matching ran): a column of the
    /// exchange's view.
    static func latestAggregate(of exchange: String) -> String {
        """
        (SELECT json_build_array(r.round, r.status, r.note, r.candidates_ranked, \(ChildRows.timestamp("r.matched_at")),
                    (SELECT json_agg(json_build_array(m.country_code, m.country_name, m.experience_id, m.programme, m.years, m.score,
                                                      m.parts::text, m.summary, m.reasons::text, m.sources) ORDER BY m.rank)
                     FROM exchange_matches m WHERE m.exchange_id = r.exchange_id AND m.round = r.round))::text
         FROM exchange_match_rounds r WHERE r.exchange_id = \(exchange) ORDER BY r.round DESC LIMIT 1)
        """
    }

    /// A round of ``latestAggregate(of:)``.
    struct RoundColumns: Decodable {
        var round: MatchRound

        init(from decoder: any Decoder) throws {
            var columns = try decoder.unkeyedContainer()
            let number = try columns.decode(Int.self), status = try columns.decode(String.self), note = try columns.decode(String.self)
            let ranked = try columns.decode(Int.self), matchedAt = try columns.decodeTimestamp()
            let matches = try columns.decodeIfPresent([MatchColumns].self) ?? []
            round = MatchRound(round: number, status: MatchResult.Status(rawValue: status) ?? .none, note: note,
                               candidatesRanked: ranked, matchedAt: matchedAt, matches: matches.map(\.match))
        }
    }

    /// A match of ``RoundColumns``.
    struct MatchColumns: Decodable {
        var match: Match

        init(from decoder: any Decoder) throws {
            var columns = try decoder.unkeyedContainer()
            let code = try columns.decode(String.self), name = try columns.decode(String.self), experience = try columns.decode(Int.self)
            let programme = try columns.decode(String.self), years = try columns.decode(String.self), score = try columns.decode(Double.self)
            let parts = try columns.decode(String.self), summary = try columns.decode(String.self), reasons = try columns.decode(String.self)
            match = Match(experienceID: experience, countryCode: code, countryName: name, programme: programme, years: years,
                          score: score, parts: try JSONText.decode(Match.ScoreParts.self, parts), summary: summary,
                          reasons: try JSONText.decode(Match.Reasons.self, reasons), sources: try columns.decode([String].self))
        }
    }
}
