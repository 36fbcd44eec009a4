import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianFunding
import MeridianPostgres
import MeridianTestSupport
import PostgresNIO
import Testing

/// The ledger is protected like the engine's history: the database refuses every change but
/// an append through the ledger, and a replay of the entries finds what a superuser changed
/// with the triggers switched off.
@Suite("Ledger guards and replay")
struct LedgerGuardTests {
    /// The server's message refusing `sql` (run alone, in its own transaction), or `nil` when it ran.
    private func refusal(_ fixture: FundingFixture, _ sql: String) async -> String? {
        do {
            try await fixture.client.query(PostgresQuery(unsafeSQL: sql), logger: fixture.logger)
            return nil
        } catch let error as PSQLError {
            return error.serverInfo?[.message] ?? String(reflecting: error)
        } catch {
            return String(describing: error)
        }
    }

    private func rowCounts(_ fixture: FundingFixture) async throws -> [Int] {
        var counts: [Int] = []
        for table in ["funding_entries", "funding_transactions", "funding_contributions", "funding_balances"] {
            let rows = try await fixture.client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger: fixture.logger).collect()
            counts.append(try rows[0].decode(Int.self))
        }
        return counts
    }

    @Test("entries, transactions and contributions refuse UPDATE, DELETE and TRUNCATE, each with its reason")
    func appendOnly() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000_000)
            let balances = try await fixture.balanceRows()
            let counts = try await rowCounts(fixture)
            let updates = ["funding_entries": "amount_minor = amount_minor * 2", "funding_transactions": "reference = 'forged'",
                           "funding_contributions": "donor = 'Mallory'"]
            for (table, change) in updates.sorted(by: { $0.key < $1.key }) {
                #expect(await refusal(fixture, "UPDATE \(table) SET \(change)") == "\(table) is append-only: UPDATE refused")
                #expect(await refusal(fixture, "DELETE FROM \(table)") == "\(table) is append-only: DELETE refused")
                #expect(await refusal(fixture, "TRUNCATE \(table) CASCADE") == "\(table) is append-only: TRUNCATE refused")
            }
            // The auditor's statement, as the issue reported it succeeding.
            #expect(await refusal(fixture, "TRUNCATE funding_entries, funding_contributions, funding_transactions")
                    == "funding_entries is append-only: TRUNCATE refused")
            #expect(try await fixture.balanceRows() == balances)
            #expect(try await rowCounts(fixture) == counts)
        }
    }

    @Test("balances change only through the entries' trigger: direct INSERT, UPDATE, DELETE and TRUNCATE are refused")
    func balancesOnlyByEntries() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000_000)
            let balances = try await fixture.balanceRows()
            #expect(await refusal(fixture, "UPDATE funding_balances SET balance_minor = balance_minor + 100 WHERE fund_id = 'rapid' AND account = 'available'")
                    == "funding_balances changes only through ledger entries: UPDATE refused")
            #expect(await refusal(fixture, "INSERT INTO funding_balances (fund_id, account, balance_minor) VALUES ('rapid', 'available', 5)")
                    == "funding_balances changes only through ledger entries: INSERT refused")
            #expect(await refusal(fixture, "DELETE FROM funding_balances WHERE fund_id = 'rapid'")
                    == "funding_balances changes only through ledger entries: DELETE refused")
            #expect(await refusal(fixture, "TRUNCATE funding_balances") == "funding_balances changes only through ledger entries: TRUNCATE refused")
            #expect(try await fixture.balanceRows() == balances)
            // The ledger's own path still moves them: a second fund opens its rows, a contribution credits them.
            try await fixture.fund("reserve", contributed: 2_500)
            #expect(try await fixture.balanceRows("reserve")["available"] == 2_500)
        }
    }

    @Test("a transaction without entries, or whose entries do not balance, is refused at commit with the reason")
    func transactionNeedsBalancedEntries() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000_000)
            let counts = try await rowCounts(fixture)
            func commit(_ entries: [String]) async throws -> (id: Int64, refusal: String?) {
                try await withPostgresConnection(fixture.database.settings, logger: fixture.logger) { connection in
                    try await connection.query("BEGIN", logger: fixture.logger)
                    let rows = try await connection.query("""
                        INSERT INTO funding_transactions (fund_id, kind, value_date, reference, actor_id)
                        VALUES ('rapid', 'commitment', '2026-01-01', 'by hand', 'mallory') RETURNING id
                        """, logger: fixture.logger).collect()
                    let id = try rows[0].decode(Int64.self)
                    for (line, entry) in entries.enumerated() {
                        try await connection.query(PostgresQuery(unsafeSQL: "INSERT INTO funding_entries VALUES (\(id), \(line + 1), 'rapid', \(entry), 'USD')"),
                                                   logger: fixture.logger)
                    }
                    do {
                        try await connection.query("COMMIT", logger: fixture.logger)
                        return (id, nil)
                    } catch let error as PSQLError {
                        return (id, error.serverInfo?[.message])
                    }
                }
            }
            let empty = try await commit([])
            #expect(empty.refusal == "ledger transaction \(empty.id) has 0 entries; a movement needs a debit and a credit")
            let oneSided = try await commit(["'committed', 500"])
            #expect(oneSided.refusal == "ledger transaction \(oneSided.id) has 1 entries; a movement needs a debit and a credit")
            let unbalanced = try await commit(["'committed', 500", "'available', -400"])
            #expect(unbalanced.refusal == "ledger transaction \(unbalanced.id) does not balance (entries sum to 100)")
            let balanced = try await commit(["'committed', 500", "'available', -500"])
            #expect(balanced.refusal == nil, "a balanced movement by hand is still a ledger movement")
            let after = try await rowCounts(fixture)
            #expect(after == [counts[0] + 2, counts[1] + 1, counts[2], counts[3]])
        }
    }

    @Test("the replay agrees with the stored balances after a grant's whole life, and finds a balance a superuser changed")
    func replayFindsCorruption() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.firstInstalmentPaid()
            let intact = try await LedgerVerifier.verify(client: fixture.client, logger: fixture.logger)
            #expect(intact.isIntact, "\(intact.discrepancies)")
            #expect(intact.funds == 1 && intact.transactions == 4 && intact.entries == 8)

            try await fixture.tamperAvailableBalance()
            let report = try await LedgerVerifier.verify(client: fixture.client, logger: fixture.logger)
            #expect(report.discrepancies == ["fund rapid: stored available balance is 6,001.00 USD; the entries sum to 6,000.00 USD"])
        }
    }
}
