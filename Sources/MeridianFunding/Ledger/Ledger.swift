import MeridianCodes
import Foundation
import Logging
import PostgresNIO

/// Stores postings as balanced transactions of entries, on a connection in the caller's
/// transaction, so a movement commits together with what caused it (a vote, an instruction).
///
/// How "no account below zero" holds under concurrency: the balances live in
/// `funding_balances`, maintained by a trigger from each inserted entry in the same
/// transaction, with a CHECK constraint that refuses a negative balance. Before anything else,
/// `post` locks the fund's row and balance rows, so postings to one fund take turns (and a
/// retry with the same idempotency key on the same fund finds the first one stored; keys are
/// unique across funds, and every key Meridian makes names its instruction or grant), and checks the credited account in Swift for a message a person can act on ("the
/// fund has 12,000.00 USD available; this needs 15,000.00 USD"). The CHECK is the guarantee;
/// the lock makes it the second posting that waits and then reads the first one's result
/// rather than failing on a serialisation error. Balances are never written any other way:
/// they are a sum of the entries, which tests recompute.
public enum Ledger {
    /// The stored transaction: its id, and whether it was stored before (same idempotency key).
    public struct Stored: Sendable, Hashable {
        public var transactionID: Int64
        public var replayed: Bool
    }

    @discardableResult
    public static func post(_ posting: Posting, on connection: PostgresConnection, logger: Logger) async throws -> Stored {
        guard posting.amount.minorUnits > 0 else {
            throw FundingError(.invalidInput, "a ledger movement must be a positive amount, not \(posting.amount)")
        }
        // Locked first, looked up second: a posting with the same key that held the lock
        // before us has committed by now, and this statement sees it.
        let balances = try await lockedBalances(fund: posting.fundID, on: connection, logger: logger)
        if let key = posting.idempotencyKey, let existing = try await transaction(key: key, on: connection, logger: logger) {
            return Stored(transactionID: existing, replayed: true)
        }
        let credited = posting.kind.accounts.credit
        if credited != .contributions {
            let balance = balances[credited] ?? 0
            if balance < posting.amount.minorUnits {
                let have = Money(minorUnits: balance, currency: posting.amount.currency)
                throw FundingError(.refused, "the fund \(posting.fundID) has \(have) \(credited.rawValue); this needs \(posting.amount)",
                                   hint: credited == .available ? "record a contribution first, or request less" : nil)
            }
        }
        let rows = try await connection.query("""
            INSERT INTO funding_transactions (fund_id, kind, value_date, reference, actor_id, grant_id, idempotency_key)
            VALUES (\(posting.fundID), \(posting.kind.rawValue), \(posting.valueDate.description)::date, \(posting.reference),
                    \(posting.actorID), \(posting.grantID), \(posting.idempotencyKey))
            RETURNING id
            """, logger: logger).collect()
        let id = try rows[0].decode(Int64.self)
        for (line, entry) in posting.entries.enumerated() {
            try await connection.query("""
                INSERT INTO funding_entries (transaction_id, line, fund_id, account, amount_minor, currency)
                VALUES (\(id), \(Int16(line + 1)), \(posting.fundID), \(entry.account.rawValue), \(entry.amount), \(posting.amount.currency.code))
                """, logger: logger)
        }
        return Stored(transactionID: id, replayed: false)
    }

    /// The fund's balances, locked until the transaction ends.
    static func lockedBalances(fund: String, on connection: PostgresConnection, logger: Logger) async throws -> [LedgerAccount: Int64] {
        // The fund row's lock is what postings to one fund queue on (its balance rows are
        // created with it, all zero). NO KEY: rows that merely reference the fund (a new
        // grant) need not wait for it.
        let funds = try await connection.query("SELECT id FROM funding_funds WHERE id = \(fund) FOR NO KEY UPDATE", logger: logger).collect()
        guard !funds.isEmpty else { throw FundingError(.notFound, "no fund has the id '\(fund)'", hint: "see meridian fund list") }
        let rows = try await connection.query("""
            SELECT account, balance_minor FROM funding_balances WHERE fund_id = \(fund) FOR UPDATE
            """, logger: logger).collect()
        var balances: [LedgerAccount: Int64] = [:]
        for row in rows {
            let (account, balance) = try row.decode((String, Int64).self)
            if let account = LedgerAccount(rawValue: account) { balances[account] = balance }
        }
        return balances
    }

    private static func transaction(key: String, on connection: PostgresConnection, logger: Logger) async throws -> Int64? {
        let rows = try await connection.query("SELECT id FROM funding_transactions WHERE idempotency_key = \(key)", logger: logger).collect()
        return try rows.first?.decode(Int64.self)
    }
}
