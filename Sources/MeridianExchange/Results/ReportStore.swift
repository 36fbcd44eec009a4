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
            SELECT r.version, r.report::text, r.submitted_by, r.submitted_at, v.decision, v.comment, v.reviewer, v.reviewed_at
            FROM exchange_reports r
            LEFT JOIN exchange_reviews v ON v.exchange_id = r.exchange_id AND v.report_version = r.version
            WHERE r.exchange_id = \(exchange) ORDER BY r.version
            """, logger: logger).collect()
        return try rows.map { row in
            let (version, report, by, at, decision, comment, reviewer, reviewedAt) =
                try row.decode((Int, String, String, Date, String?, String?, String?, Date?).self)
            var review: StoredReport.Review?
            if let decision, let reviewer, let reviewedAt {
                review = .init(decision: decision, comment: comment, reviewer: reviewer, reviewedAt: reviewedAt)
            }
            return StoredReport(version: version, report: try JSONText.decode(ResultsReport.self, report), submittedBy: by,
                                submittedAt: at, review: review)
        }
    }

    static func latest(_ exchange: UUID, on connection: PostgresConnection, logger: Logger) async throws -> StoredReport? {
        try await all(exchange, on: connection, logger: logger).last
    }
}
