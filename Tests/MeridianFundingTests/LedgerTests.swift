import MeridianCodes
import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianFunding
import MeridianPostgres
import MeridianTestSupport
import PostgresNIO
import PostgresNIO
import Testing

@Suite("Ledger and fund statements")
struct LedgerTests {
    @Test("every transaction balances; the statement equals the ledger, as of any date")
    func statementEqualsLedger() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000_000)
            let usd = try Currency.named("USD")
            _ = try await fixture.funds.contribute(fund: "rapid", donor: "Donor B", amount: Money(minorUnits: 250_050, currency: usd),
                                                   receivedOn: try CalendarDay("2026-03-01"), reference: "B-1", actorID: "admin")
            let exchange = try await fixture.exchangeInFundingReview(grant: 400_000, coFinancing: 100_000)
            let vote = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa1")))
            #expect(vote.to == "disbursement")

            let statement = try await fixture.statement()
            #expect(statement.contributions == .usd(1_250_050))
            #expect(statement.committed == .usd(400_000))
            #expect(statement.available == .usd(850_050))
            #expect(statement.coFinancing == [.usd(100_000)])
            let sums = try await fixture.entrySums()
            #expect(try await fixture.balanceRows() == sums)
            #expect(sums.values.reduce(0, +) == 0)
            #expect(try await fixture.unbalancedTransactions() == 0)
            #expect(statement.available.minorUnits == sums["available"])

            let early = try await FundStatement.read(fund: "rapid", asOf: try CalendarDay("2026-02-01"), client: fixture.client, logger: fixture.logger)
            #expect(early.contributions == .usd(1_000_000) && early.available == .usd(1_000_000) && early.committed == .usd(0))
            #expect(early.lines.count == 1)
        }
    }

    @Test("the database refuses an unbalanced transaction and an overdrawn account, whatever the code does")
    func databaseGuards() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000)
            // Straight SQL, bypassing the Swift checks: the deferred trigger refuses it at commit.
            let unbalanced = await ServerRefusal.of {
                try await fixture.client.withTransaction(logger: fixture.logger) { connection in
                    let rows = try await connection.query("""
                        INSERT INTO funding_transactions (fund_id, kind, value_date, reference, actor_id) VALUES ('rapid', 'commitment', '2026-01-01', 'x', 'x') RETURNING id
                        """, logger: fixture.logger).collect()
                    let id = try rows[0].decode(Int64.self)
                    try await connection.query("INSERT INTO funding_entries VALUES (\(id), 1, 'rapid', 'committed', 500, 'USD')", logger: fixture.logger)
                }
            }
            // One entry alone: refused by the deferred check of a transaction's entries (0012) or the balance check (0006).
            #expect(unbalanced?.sqlState == "23514" && (unbalanced?.message.contains("does not balance") == true || unbalanced?.message.contains("needs a debit and a credit") == true), "\(String(describing: unbalanced))")
            // Balanced, but it takes available below zero: the CHECK refuses it.
            let overdrawn = await ServerRefusal.of {
                try await fixture.client.withTransaction(logger: fixture.logger) { connection in
                    let rows = try await connection.query("""
                        INSERT INTO funding_transactions (fund_id, kind, value_date, reference, actor_id) VALUES ('rapid', 'commitment', '2026-01-01', 'x', 'x') RETURNING id
                        """, logger: fixture.logger).collect()
                    let id = try rows[0].decode(Int64.self)
                    try await connection.query("INSERT INTO funding_entries VALUES (\(id), 1, 'rapid', 'committed', 5000, 'USD')", logger: fixture.logger)
                    try await connection.query("INSERT INTO funding_entries VALUES (\(id), 2, 'rapid', 'available', -5000, 'USD')", logger: fixture.logger)
                }
            }
            #expect(overdrawn?.sqlState == "23514" && overdrawn?.message.contains("funding_balance_sign") == true, "\(String(describing: overdrawn))")
            // Entries are append-only.
            let update = await ServerRefusal.of {
                try await fixture.client.query("UPDATE funding_entries SET amount_minor = 1", logger: fixture.logger)
            }
            #expect(update == ServerRefusal(sqlState: "42501", message: "funding_entries is append-only: UPDATE refused"))
            #expect(try await fixture.statement().available == .usd(1_000))
            #expect(try await fixture.balanceRows() == fixture.entrySums())
        }
    }

    @Test("a contribution's reference is recorded once: the same again is a no-op, other values are refused")
    func contributionReference() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000)
            let again = try await fixture.funds.contribute(fund: "rapid", donor: "Donor A", amount: .usd(1_000),
                                                           receivedOn: try CalendarDay("2026-01-15"), reference: "C-rapid-1", actorID: "admin")
            #expect(again.replayed)
            await #expect(throws: FundingError.self) {
                _ = try await fixture.funds.contribute(fund: "rapid", donor: "Donor A", amount: .usd(2_000),
                                                       receivedOn: try CalendarDay("2026-01-15"), reference: "C-rapid-1", actorID: "admin")
            }
            await #expect(throws: FundingError.self) {
                _ = try await fixture.funds.contribute(fund: "rapid", donor: "Donor A", amount: Money(minorUnits: 5, currency: Currency(code: "EUR")!),
                                                       receivedOn: try CalendarDay("2026-01-15"), reference: "C-2", actorID: "admin")
            }
            #expect(try await fixture.statement().contributions == .usd(1_000))
        }
    }

    @Test("concurrent retries of one contribution: recorded once, the others replay it, the donor listed once")
    func concurrentContributionRetries() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000)
            let funds = fixture.funds
            let results = try await withThrowingTaskGroup(of: FundStore.Contribution.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await funds.contribute(fund: "rapid", donor: "Donor B", amount: .usd(2_500),
                                                   receivedOn: try CalendarDay("2026-02-01"), reference: "C-rapid-2", actorID: "admin")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { !$0.replayed }.count == 1)
            #expect(Set(results.map(\.transactionID)).count == 1)
            #expect(try await fixture.statement().contributions == .usd(3_500))
            #expect(try await funds.fund("rapid").donors.filter { $0 == "Donor B" }.count == 1)
        }
    }

    @Test("concurrent postings with one idempotency key: stored once, the others get the first one")
    func concurrentPostingsWithOneKey() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 100_000)
            let client = fixture.client
            let logger = fixture.logger
            let stored = try await withThrowingTaskGroup(of: Ledger.Stored.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await client.transaction(logger: logger) { connection in
                            try await Ledger.post(Posting(fundID: "rapid", kind: .contribution, amount: .usd(700), valueDate: try CalendarDay("2026-02-02"),
                                                          reference: "gift", actorID: "admin", idempotencyKey: "gift-1"),
                                                  on: connection, logger: logger)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(stored.filter { !$0.replayed }.count == 1)
            #expect(Set(stored.map(\.transactionID)).count == 1)
            #expect(try await fixture.statement().contributions == .usd(100_700))
        }
    }

    @Test("a statement read while contributions are posted agrees with itself: its lines add up to its totals")
    func statementAtOneSnapshot() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 1_000)
            let funds = fixture.funds
            let client = fixture.client
            let logger = fixture.logger
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for index in 0..<40 {
                        _ = try await funds.contribute(fund: "rapid", donor: "Donor C", amount: .usd(100), receivedOn: try CalendarDay("2026-03-01"),
                                                       reference: "C-stream-\(index)", actorID: "admin")
                    }
                }
                group.addTask {
                    for _ in 0..<60 {
                        let statement = try await FundStatement.read(fund: "rapid", asOf: try CalendarDay("2026-12-31"), client: client, logger: logger)
                        let listed = statement.lines.filter { $0.kind == .contribution }.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
                        #expect(listed == statement.contributions.minorUnits, "lines \(listed) against total \(statement.contributions.minorUnits)")
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await fixture.statement().contributions == .usd(5_000))
        }
    }
}
