import MeridianCodes
import Foundation
import Logging
import PostgresNIO
import MeridianPostgres

/// Replays the ledger from its entries, in the order they were recorded, and compares the result with what is stored.
///
/// The balance rows are a cache the entries' trigger maintains; the database refuses any
/// other write to them, but a superuser can switch triggers off. The verifier recomputes
/// every fund's balances from the entries alone, oldest transaction first, and reports every
/// difference: a stored balance that disagrees with the replay, a transaction without a
/// debit and a credit or whose entries do not sum to zero, an entry on another fund or in
/// another currency than its transaction's, and an account other than contributions that
/// the replay takes below zero.
public enum LedgerVerifier {
    /// What the replay found.
    public struct Report: Sendable, Hashable, Codable {
        public var funds: Int
        public var transactions: Int
        public var entries: Int
        /// One line per problem, in a stable order; empty when the ledger is intact.
        public var discrepancies: [String]
        public var isIntact: Bool { discrepancies.isEmpty }
    }

    /// Replays the whole ledger (or one fund's) at one snapshot.
    public static func verify(fund: String? = nil, client: PostgresClient, logger: Logger) async throws -> Report {
        try await client.snapshot(logger: logger) { connection in
            try await verify(fund: fund, on: connection, logger: logger)
        }
    }

    static func verify(fund: String?, on connection: PostgresConnection, logger: Logger) async throws -> Report {
        let funds = try await FundStore.funds(where: fund, on: connection, logger: logger)
        if let fund, funds.isEmpty {
            throw FundingError(.notFound, "no fund has the id '\(fund)'", hint: "see meridian fund list")
        }
        var discrepancies: [String] = []
        var transactions = 0
        var entries = 0
        for fund in funds {
            var replay = Dictionary(uniqueKeysWithValues: LedgerAccount.allCases.map { ($0.rawValue, Int64(0)) })
            var belowZero: Set<String> = []
            let rows = try await connection.query("""
                SELECT t.id, t.fund_id, e.fund_id, e.account, e.amount_minor, e.currency
                FROM funding_transactions t LEFT JOIN funding_entries e ON e.transaction_id = t.id
                WHERE t.fund_id = \(fund.id) OR e.fund_id = \(fund.id)
                ORDER BY t.id, e.line
                """, logger: logger).collect()
            var current: (id: Int64, lines: Int, sum: Int64)?
            func close() {
                guard let done = current else { return }
                transactions += 1
                if done.lines < 2 {
                    discrepancies.append("fund \(fund.id): transaction \(done.id) has \(done.lines) entries; a movement needs a debit and a credit")
                } else if done.sum != 0 {
                    discrepancies.append("fund \(fund.id): transaction \(done.id) does not balance (entries sum to \(done.sum))")
                }
            }
            for row in rows {
                let (id, transactionFund, entryFund, account, amount, currency) =
                    try row.decode((Int64, String, String?, String?, Int64?, String?).self)
                if current?.id != id {
                    close()
                    current = (id, 0, 0)
                }
                guard let entryFund, let account, let amount, let currency else { continue }
                entries += 1
                current?.lines += 1
                current?.sum &+= amount
                if entryFund != transactionFund {
                    discrepancies.append("fund \(fund.id): transaction \(id) of fund \(transactionFund) has an entry on fund \(entryFund)")
                }
                guard entryFund == fund.id else { continue }
                if currency != fund.currency.code {
                    discrepancies.append("fund \(fund.id): transaction \(id) has an entry in \(currency); the fund is kept in \(fund.currency)")
                }
                replay[account, default: 0] &+= amount
                if account != LedgerAccount.contributions.rawValue, replay[account, default: 0] < 0, !belowZero.contains(account) {
                    belowZero.insert(account)
                    discrepancies.append("fund \(fund.id): \(account) goes below zero at transaction \(id)")
                }
            }
            close()
            let stored = try await connection.query("""
                SELECT account, balance_minor FROM funding_balances WHERE fund_id = \(fund.id) ORDER BY account
                """, logger: logger).collect()
            var seen: Set<String> = []
            for row in stored {
                let (account, balance) = try row.decode((String, Int64).self)
                seen.insert(account)
                let expected = replay[account] ?? 0
                if balance != expected {
                    discrepancies.append("fund \(fund.id): stored \(account) balance is \(Money(minorUnits: balance, currency: fund.currency)); "
                                         + "the entries sum to \(Money(minorUnits: expected, currency: fund.currency))")
                }
            }
            for account in LedgerAccount.allCases.map(\.rawValue) where !seen.contains(account) {
                discrepancies.append("fund \(fund.id): the balance row for \(account) is missing")
            }
        }
        return Report(funds: funds.count, transactions: transactions, entries: entries, discrepancies: discrepancies)
    }
}
