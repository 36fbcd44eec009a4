import MeridianCodes
import Foundation
import Logging
import PostgresNIO
import MeridianPostgres

/// Where a fund's money stands on a given day, computed from the ledger's entries alone.
///
/// contributions = available + committed + in payment + disbursed, as of the end of `asOf`
/// (entries with a value date on or before it). Co-financing — the countries' own share of
/// the plans this fund's grants cover — is shown beside it: it never passes through Meridian,
/// so it is not in the ledger.
public struct FundStatement: Sendable, Hashable {
    public var fund: Fund
    public var asOf: CalendarDay
    public var contributions: Money
    public var committed: Money
    public var inPayment: Money
    public var disbursed: Money
    public var available: Money
    /// The countries' co-financing of plans with a grant from this fund committed or paid.
    public var coFinancing: [Money]
    /// The movements up to `asOf`, oldest first.
    public var lines: [Line]

    public struct Line: Sendable, Hashable {
        public var transactionID: Int64
        public var valueDate: CalendarDay
        public var kind: LedgerKind
        public var reference: String
        public var amount: Money
    }

    /// Reads the statement of `fundID` as of `asOf`, all of it at one snapshot: a posting
    /// committed meanwhile is in every part of it or in none.
    public static func read(fund fundID: String, asOf: CalendarDay, client: PostgresClient, logger: Logger) async throws -> FundStatement {
        try await client.snapshot(logger: logger) { connection in
            try await read(fund: fundID, asOf: asOf, on: connection, logger: logger)
        }
    }

    private static func read(fund fundID: String, asOf: CalendarDay, on connection: PostgresConnection, logger: Logger) async throws -> FundStatement {
        guard let fund = try await FundStore.funds(where: fundID, on: connection, logger: logger).first else {
            throw FundingError(.notFound, "no fund has the id '\(fundID)'", hint: "see meridian fund list")
        }
        let day = asOf.description
        let sums = try await connection.query("""
            SELECT e.account, sum(e.amount_minor)::bigint
            FROM funding_entries e JOIN funding_transactions t ON t.id = e.transaction_id
            WHERE e.fund_id = \(fundID) AND t.value_date <= \(day)::date
            GROUP BY e.account
            """, logger: logger).collect()
        var balances: [LedgerAccount: Int64] = [:]
        for row in sums {
            let (account, sum) = try row.decode((String, Int64).self)
            if let account = LedgerAccount(rawValue: account) { balances[account] = sum }
        }
        let lineRows = try await connection.query("""
            SELECT t.id, t.value_date::text, t.kind, t.reference, e.amount_minor
            FROM funding_transactions t JOIN funding_entries e ON e.transaction_id = t.id AND e.line = 1
            WHERE t.fund_id = \(fundID) AND t.value_date <= \(day)::date
            ORDER BY t.value_date, t.id
            """, logger: logger).collect()
        let currency = fund.currency
        let lines = try lineRows.map { row in
            let (id, date, kind, reference, amount) = try row.decode((Int64, String, String, String, Int64).self)
            return Line(transactionID: id, valueDate: try CalendarDay(date), kind: LedgerKind(rawValue: kind) ?? .contribution,
                        reference: reference, amount: Money(minorUnits: amount, currency: currency))
        }
        let coRows = try await connection.query("""
            SELECT co_financing_currency, sum(co_financing_minor)::bigint FROM funding_grants
            WHERE fund_id = \(fundID) AND status IN ('committed', 'closed') AND co_financing_minor > 0
              AND requested_at::date <= \(day)::date
            GROUP BY co_financing_currency ORDER BY co_financing_currency
            """, logger: logger).collect()
        let coFinancing = try coRows.map { row in
            let (code, sum) = try row.decode((String, Int64).self)
            return Money(minorUnits: sum, currency: try Currency.named(code))
        }
        func money(_ account: LedgerAccount) -> Money { Money(minorUnits: balances[account] ?? 0, currency: currency) }
        return FundStatement(fund: fund, asOf: asOf, contributions: Money(minorUnits: -(balances[.contributions] ?? 0), currency: currency),
                             committed: money(.committed), inPayment: money(.inPayment), disbursed: money(.disbursed),
                             available: money(.available), coFinancing: coFinancing, lines: lines)
    }
}
