import MeridianCodes
import Foundation
import Logging
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianPostgres
import MeridianShippedWorkflows
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import PostgresNIO
import Testing

/// A fresh migrated database with the shipped exchange workflow deployed and an engine that
/// runs the funding tasks, for one test.
public struct FundingFixture: Sendable {
    public let database: TestDatabase
    public let client: PostgresClient
    public let engine: WorkflowEngine
    public var logger: Logger { database.logger }

    /// - Parameter clock: the engine's clock (a ``ManualClock`` lets a test move time).
    public static func with<Result: Sendable>(
        clock: any EngineClock = SystemClock(),
        _ body: (FundingFixture) async throws -> Result
    ) async throws -> Result {
        try await TestDatabase.withFresh { database in
            try await withPostgresClient(database.settings, logger: database.logger) { client in
                var tasks = TaskHandlers()
                FundingTasks.register(into: &tasks, client: client, logger: database.logger)
                // The exchange's plugin declares the names and guards of the workflow it deploys; its
                // task handlers are not registered here (those jobs wait, as in a funding-only worker).
                let configuration = WorkflowEngine.Configuration(plugins: [ExchangeTasks.plugin, FundingTasks.plugin], clock: clock, tasks: tasks)
                let engine = try WorkflowEngine(client: client, configuration: configuration, logger: database.logger)
                let url = ShippedWorkflows.url(named: "knowledge-exchange")
                _ = try await engine.deploy([.init(name: "knowledge-exchange.xml", bytes: Array(try Data(contentsOf: url)))])
                do {
                    return try await body(FundingFixture(database: database, client: client, engine: engine))
                } catch let error as PSQLError {
                    // PostgresNIO hides the server's message; a failing test should show it.
                    throw ServerError(text: String(reflecting: error))
                }
            }
        }
    }

    public var funds: FundStore { FundStore(client: client, logger: logger) }

    /// A USD fund `id` with an IBAN account, and `contributed` minor units from one donor.
    public func fund(_ id: String = "rapid", contributed: Int64, currency: String = "USD") async throws {
        let usd = try Currency.named(currency)
        try await funds.create(Fund(id: id, name: "Rapid Response Fund", currency: usd, donors: ["Donor A"],
                                    account: try BankAccount.iban("DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX"), createdBy: "admin"))
        if contributed > 0 {
            _ = try await funds.contribute(fund: id, donor: "Donor A", amount: Money(minorUnits: contributed, currency: usd),
                                           receivedOn: try CalendarDay("2026-01-15"), reference: "C-\(id)-1", actorID: "admin")
        }
    }

    public static let official = WorkflowActor.person("off", roles: ["official"])
    public static let manager = WorkflowActor.person("pm", roles: ["program-manager"])
    public static let partner = WorkflowActor.person("par", roles: ["partner-official"])
    public static func approver(_ id: String) -> WorkflowActor { .person(id, roles: ["fund-approver"]) }
    public static func finance(_ id: String) -> WorkflowActor { .person(id, roles: ["finance-officer"]) }

    /// An exchange walked through the shipped workflow to `funding-review`, its plan asking
    /// `grant` minor units (USD) from `fund`, with `coFinancing` from the country.
    public func exchangeInFundingReview(grant: Int64, coFinancing: Int64 = 0, fund: String = "rapid", instalments: [Int64] = [100],
                                 official: WorkflowActor = FundingFixture.official, planAuthor: WorkflowActor? = nil) async throws -> UUID {
        var amounts: [String: JSONValue] = ["grant": .object(["minor_units": .integer(grant), "currency": .string("USD")])]
        if coFinancing > 0 { amounts["co_financing"] = .object(["minor_units": .integer(coFinancing), "currency": .string("USD")]) }
        let context: [String: JSONValue] = [
            "title": .string("Water utility reform"), "country": .string("KEN"), "fund": .string(fund), "matches": .integer(3),
            "partner-selected": .bool(true), "plan-consistent": .bool(true), "amounts": .object(amounts),
            "instalments": .array(instalments.map { .integer($0) }),
        ]
        let instance = try await engine.start(workflow: "knowledge-exchange", context: context, actor: official)
        let steps: [(String, WorkflowActor)] = [
            ("submit", official), ("start-screening", Self.manager), ("accept", Self.manager), ("matches-found", .system("task:match-experiences")),
            ("approve-matches", Self.manager), ("select-partner", official), ("confirm", Self.partner), ("submit-plan", planAuthor ?? official),
        ]
        for (event, actor) in steps {
            let outcome = try await engine.fire(FireRequest(instanceID: instance.id, event: event, actor: actor))
            #expect(outcome.status == .applied, "\(event): \(outcome.message)")
        }
        return instance.id
    }

    /// `count` exchanges whose grants fa1 approved and fo1 disbursed: their instructions are
    /// pending, ready for the next payment file.
    @discardableResult
    public func pendingPayments(count: Int, grant: Int64 = 100_050) async throws -> [PaymentInstruction] {
        var instructions: [PaymentInstruction] = []
        for _ in 0..<count {
            let exchange = try await exchangeInFundingReview(grant: grant)
            _ = try await engine.fire(FireRequest(instanceID: exchange, event: "approve-grant", actor: Self.approver("fa1")))
            instructions.append(try await Disbursements(engine: engine, logger: logger).disburse(DisbursementRequest(
                grantID: try await self.grant(of: exchange).id, beneficiary: "Ministry of Water", account: try BankAccount.iban("GB82 WEST 1234 5698 7654 32"),
                actor: Self.finance("fo1"))).instruction)
        }
        return instructions
    }

    /// The bank's confirmation marked by hand, as a second finance officer does it: the
    /// pending instructions go out in a pain.001 file first (only exported ones can be marked).
    @discardableResult
    public func markPaid(_ endToEnd: String, by officer: String = "fo2") async throws -> Reconciler.Change {
        _ = try await PaymentExport(client: client, logger: logger).export()
        return try await Reconciler(engine: engine, logger: logger).mark(endToEnd, .paid, reason: "the bank's statement of the day", by: officer)
    }

    /// A 1,000,000 minor-unit USD fund, one exchange's 400,000 grant approved by fa1, its
    /// first instalment (70 %) disbursed by fo1 and marked paid: four ledger transactions.
    public func firstInstalmentPaid() async throws {
        try await fund(contributed: 1_000_000)
        let exchange = try await exchangeInFundingReview(grant: 400_000, instalments: [70, 30])
        _ = try await engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: Self.approver("fa1")))
        let first = try await Disbursements(engine: engine, logger: logger).disburse(DisbursementRequest(
            grantID: try await grant(of: exchange).id, beneficiary: "Ministry of Water", account: try BankAccount.iban("GB82 WEST 1234 5698 7654 32"),
            actor: Self.finance("fo1")))
        try await markPaid(first.instruction.endToEndID)
    }

    /// A superuser switches the triggers off and adds 1.00 USD to what fund `rapid` has available.
    public func tamperAvailableBalance() async throws {
        try await withPostgresConnection(database.settings, logger: logger) { connection in
            try await connection.query("SET session_replication_role = replica", logger: logger)
            try await connection.query("UPDATE funding_balances SET balance_minor = balance_minor + 100 WHERE fund_id = 'rapid' AND account = 'available'",
                                       logger: logger)
        }
    }

    public func state(_ instance: UUID) async throws -> String {
        try await engine.instance(instance).state
    }

    public func grant(of instance: UUID) async throws -> Grant {
        try await GrantQueries(client: client, logger: logger).find(instance.uuidString)
    }

    /// Balances by account as the balance rows hold them.
    public func balanceRows(_ fund: String = "rapid") async throws -> [String: Int64] {
        let rows = try await client.query("SELECT account, balance_minor FROM funding_balances WHERE fund_id = \(fund)", logger: logger).collect()
        var result: [String: Int64] = [:]
        for row in rows {
            let (account, balance) = try row.decode((String, Int64).self)
            result[account] = balance
        }
        return result
    }

    /// Balances recomputed from the entries alone.
    public func entrySums(_ fund: String = "rapid") async throws -> [String: Int64] {
        let rows = try await client.query("""
            SELECT account, sum(amount_minor)::bigint FROM funding_entries WHERE fund_id = \(fund) GROUP BY account
            """, logger: logger).collect()
        var result: [String: Int64] = Dictionary(uniqueKeysWithValues: LedgerAccount.allCases.map { ($0.rawValue, 0) })
        for row in rows {
            let (account, balance) = try row.decode((String, Int64).self)
            result[account] = balance
        }
        return result
    }

    /// Ledger transactions whose entries do not sum to zero (must be none).
    public func unbalancedTransactions() async throws -> Int {
        let rows = try await client.query("""
            SELECT count(*) FROM (SELECT transaction_id FROM funding_entries GROUP BY transaction_id HAVING sum(amount_minor) <> 0) unbalanced
            """, logger: logger).collect()
        return try rows[0].decode(Int.self)
    }

    public func statement(_ fund: String = "rapid") async throws -> FundStatement {
        try await FundStatement.read(fund: fund, asOf: CalendarDay(Date().addingTimeInterval(86_400)), client: client, logger: logger)
    }
}

extension Money {
    public static func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: Currency(code: "USD")!) }
}

/// A database error with the server's message, for test failures.
public struct ServerError: Error, CustomStringConvertible {
    public var text: String
    public var description: String { text }
}
