import Foundation
import Logging
import PostgresNIO

/// One version of an exchange's results report, with the program manager's review of it.
public struct StoredReport: Sendable, Codable, Equatable {
    public struct Review: Sendable, Codable, Equatable {
        public var decision: String
        public var comment: String?
        public var reviewer: String
        public var reviewedAt: Date
    }

    public var version: Int
    public var report: ResultsReport
    public var submittedBy: String
    public var submittedAt: Date
    public var review: Review?
}

enum ReportStore {
    static func all(_ exchange: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [StoredReport] {
        let rows = try await connection.query("""
            SELECT \(unescaped: aggregate(of: "x.id")) FROM (SELECT \(exchange)::uuid AS id) x
            """, logger: logger).collect()
        return try ChildRows.decode(Columns.self, from: try rows.first?.decode(String?.self)).map(\.report)
    }

    /// Every version of the results report of `exchange` (an SQL expression) with its review,
    /// oldest first, as ``ChildRows`` of ``Columns``: a column of the exchange's view.
    static func aggregate(of exchange: String) -> String {
        """
        (SELECT json_agg(json_build_array(r.version, r.report::text, r.submitted_by, \(ChildRows.timestamp("r.submitted_at")),
                                          v.decision, v.comment, v.reviewer, \(ChildRows.timestamp("v.reviewed_at"))) ORDER BY r.version)::text
         FROM exchange_reports r
         LEFT JOIN exchange_reviews v ON v.exchange_id = r.exchange_id AND v.report_version = r.version
         WHERE r.exchange_id = \(exchange))
        """
    }

    /// A report of ``aggregate(of:)``.
    struct Columns: Decodable {
        var report: StoredReport

        init(from decoder: any Decoder) throws {
            var columns = try decoder.unkeyedContainer()
            let version = try columns.decode(Int.self), text = try columns.decode(String.self)
            let by = try columns.decode(String.self), at = try columns.decodeTimestamp()
            let decision = try columns.decodeIfPresent(String.self), comment = try columns.decodeIfPresent(String.self)
            let reviewer = try columns.decodeIfPresent(String.self), reviewedAt = try columns.decodeTimestampIfPresent()
            var review: StoredReport.Review?
            if let decision, let reviewer, let reviewedAt {
                review = .init(decision: decision, comment: comment, reviewer: reviewer, reviewedAt: reviewedAt)
            }
            report = StoredReport(version: version, report: try JSONText.decode(ResultsReport.self, text), submittedBy: by,
                                  submittedAt: at, review: review)
        }
    }

    static func latest(_ exchange: UUID, on connection: PostgresConnection, logger: Logger) async throws -> StoredReport? {
        try await all(exchange, on: connection, logger: logger).last
    }
}
