import MeridianCodes
import Foundation
import Logging
import PostgresNIO

/// One version of an exchange's visit plan as stored, with its totals and what happened to it.
public struct StoredPlan: Sendable, Codable, Equatable {
    public var version: Int
    public var plan: VisitPlan
    public var totals: PlanCheck.Totals
    public var author: String
    public var createdAt: Date
    public var submittedAt: Date?
    public var submittedBy: String?
    /// What the `check-plan-consistency` task found after submission.
    public var checkedAt: Date?
    public var checkResult: String?
}

enum PlanStore {
    static func insert(_ plan: VisitPlan, totals: PlanCheck.Totals, exchange: UUID, author: String, now: Date,
                       on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query("""
            INSERT INTO exchange_plans (exchange_id, version, plan, grant_minor, grant_currency, co_financing_minor,
                                        co_financing_currency, author, created_at)
            SELECT \(exchange), coalesce(max(version), 0) + 1, \(try JSONText.encode(plan))::jsonb, \(totals.grant?.minorUnits ?? 0),
                   \(totals.grant?.currency.code), \(totals.coFinancing?.minorUnits ?? 0), \(totals.coFinancing?.currency.code), \(author), \(now)
            FROM exchange_plans WHERE exchange_id = \(exchange)
            RETURNING version
            """, logger: logger).collect()
        return try rows[0].decode(Int.self)
    }

    /// Every version, oldest first.
    static func all(_ exchange: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [StoredPlan] {
        let rows = try await connection.query("""
            SELECT version, plan::text, grant_minor, grant_currency, co_financing_minor, co_financing_currency, author, created_at,
                   submitted_at, submitted_by, checked_at, check_result
            FROM exchange_plans WHERE exchange_id = \(exchange) ORDER BY version
            """, logger: logger).collect()
        return try rows.map { row in
            let (version, plan, grant, grantCurrency, co, coCurrency, author, created, submitted, submittedBy, checked, result) =
                try row.decode((Int, String, Int64, String?, Int64, String?, String, Date, Date?, String?, Date?, String?).self)
            return StoredPlan(version: version, plan: try JSONText.decode(VisitPlan.self, plan),
                              totals: .init(grant: try grantCurrency.map { try Money(minorUnits: grant, code: $0) },
                                            coFinancing: try coCurrency.map { try Money(minorUnits: co, code: $0) }),
                              author: author, createdAt: created, submittedAt: submitted, submittedBy: submittedBy, checkedAt: checked,
                              checkResult: result)
        }
    }
}
