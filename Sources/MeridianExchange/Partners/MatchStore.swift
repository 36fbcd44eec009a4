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
        // The latest round and its matches in one statement: the round's columns on every row,
        // the match's empty when the round found none.
        let rows = try await connection.query("""
            SELECT r.round, r.status, r.note, r.candidates_ranked, r.matched_at,
                   m.country_code, m.country_name, m.experience_id, m.programme, m.years, m.score, m.parts::text, m.summary, m.reasons::text, m.sources
            FROM (SELECT round, status, note, candidates_ranked, matched_at FROM exchange_match_rounds
                  WHERE exchange_id = \(exchange) ORDER BY round DESC LIMIT 1) r
            LEFT JOIN exchange_matches m ON m.exchange_id = \(exchange) AND m.round = r.round
            ORDER BY m.rank
            """, logger: logger).collect()
        typealias Columns = (Int, String, String, Int, Date, String?, String?, Int?, String?, String?, Double?, String?, String?, String?, [String]?)
        guard let first = rows.first else { return nil }
        let (round, status, note, ranked, matchedAt, _, _, _, _, _, _, _, _, _, _) = try first.decode(Columns.self)
        var matches: [Match] = []
        for row in rows {
            let (_, _, _, _, _, code, name, experience, programme, years, score, parts, summary, reasons, sources) = try row.decode(Columns.self)
            guard let code, let name, let experience, let programme, let years, let score, let parts, let summary, let reasons, let sources else { continue }
            matches.append(Match(experienceID: experience, countryCode: code, countryName: name, programme: programme, years: years,
                                 score: score, parts: try JSONText.decode(Match.ScoreParts.self, parts), summary: summary,
                                 reasons: try JSONText.decode(Match.Reasons.self, reasons), sources: sources))
        }
        return MatchRound(round: round, status: MatchResult.Status(rawValue: status) ?? .none, note: note,
                          candidatesRanked: ranked, matchedAt: matchedAt, matches: matches)
    }
}
