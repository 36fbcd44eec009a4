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
            SELECT \(unescaped: aggregate(of: "x.id")) FROM (SELECT \(exchange)::uuid AS id) x
            """, logger: logger).collect()
        return try ChildRows.decode(Columns.self, from: try rows.first?.decode(String?.self)).map(\.plan)
    }

    /// Every version of the plan of `exchange` (an SQL expression), oldest first, as ``ChildRows``
    /// of ``Columns``: a column of the exchange's view.
    static func aggregate(of exchange: String) -> String {
        """
        (SELECT json_agg(json_build_array(version, plan::text, grant_minor, grant_currency, co_financing_minor, co_financing_currency,
                                          author, \(ChildRows.timestamp("created_at")), \(ChildRows.timestamp("submitted_at")), submitted_by,
                                          \(ChildRows.timestamp("checked_at")), check_result) ORDER BY version)::text
         FROM exchange_plans WHERE exchange_id = \(exchange))
        """
    }

    /// A plan of ``aggregate(of:)``.
    struct Columns: Decodable {
        var plan: StoredPlan

        init(from decoder: any Decoder) throws {
            var columns = try decoder.unkeyedContainer()
            let version = try columns.decode(Int.self)
            let text = try columns.decode(String.self)
            let grant = try columns.decode(Int64.self), grantCurrency = try columns.decodeIfPresent(String.self)
            let co = try columns.decode(Int64.self), coCurrency = try columns.decodeIfPresent(String.self)
            plan = StoredPlan(version: version, plan: try JSONText.decode(VisitPlan.self, text),
                              totals: .init(grant: try grantCurrency.map { try Money(minorUnits: grant, code: $0) },
                                            coFinancing: try coCurrency.map { try Money(minorUnits: co, code: $0) }),
                              author: try columns.decode(String.self), createdAt: try columns.decodeTimestamp(),
                              submittedAt: try columns.decodeTimestampIfPresent(), submittedBy: try columns.decodeIfPresent(String.self),
                              checkedAt: try columns.decodeTimestampIfPresent(), checkResult: try columns.decodeIfPresent(String.self))
        }
    }
}
