import Foundation
import Logging
import MeridianEngine
import MeridianExchange
import MeridianPostgres
import MeridianQueue
import MeridianShippedWorkflows
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing
import MeridianFunding

/// A fresh migrated database with the seed knowledge base, the shipped `knowledge-exchange`
/// workflow deployed, an engine that runs the exchange tasks, and the exchange actions.
public struct ExchangeFixture: Sendable {
    public let database: TestDatabase
    public let client: PostgresClient
    public let engine: WorkflowEngine
    public let exchanges: Exchanges
    public let tasks: TaskHandlers
    public var logger: Logger { database.logger }

    /// - Parameter funding: also run the funding module's tasks (the grant request on
    ///   `submit-plan`, the commitment on approval), as `meridian worker` does.
    public static func with<Result: Sendable>(funding: Bool = false, _ body: (ExchangeFixture) async throws -> Result) async throws -> Result {
        try await TestDatabase.withFresh { database in
            try await withPostgresClient(database.settings, logger: database.logger) { client in
                _ = try await ExperienceImporter.store(try SeedCatalogue.experiences(), client: client, logger: database.logger)
                var tasks = TaskHandlers()
                ExchangeTasks.register(into: &tasks, client: client, logger: database.logger)
                if funding { FundingTasks.register(into: &tasks, client: client, logger: database.logger) }
                let engine = try WorkflowEngine(client: client, configuration: Self.configuration(tasks: tasks), logger: database.logger)
                let source = try Data(contentsOf: ShippedWorkflows.url(named: "knowledge-exchange"))
                _ = try await engine.deploy([.init(name: "knowledge-exchange.xml", bytes: Array(source))])
                let fixture = ExchangeFixture(database: database, client: client, engine: engine,
                                              exchanges: Exchanges(engine: engine, logger: database.logger), tasks: tasks)
                return try await body(fixture)
            }
        }
    }

    /// An engine configuration with the exchange's and funding's plugins (names and guards).
    public static func configuration(tasks: TaskHandlers = TaskHandlers()) -> WorkflowEngine.Configuration {
        WorkflowEngine.Configuration(plugins: [ExchangeTasks.plugin, FundingTasks.plugin], tasks: tasks)
    }

    /// Runs the engine's due task jobs (not timers), as a worker would, until none is left:
    /// a task's event may enqueue further tasks. Returns the task names run, in order.
    @discardableResult
    public func runTasks() async throws -> [String] {
        try await runEngineTasks(engine, client: client, logger: logger)
    }

    /// Claims the due task jobs without running them.
    public func claimTaskJobs() async throws -> [ClaimedJob] {
        let store = QueueStore(logger: logger)
        let kinds = engine.jobHandlers().kinds.filter { $0.rawValue.hasPrefix("workflow-task:") }
        _ = try await store.promoteDue(queue: QueueName(WorkflowEngine.defaultQueue), on: client)
        return try await store.claim(queue: QueueName(WorkflowEngine.defaultQueue), limit: 100, kinds: kinds,
                                     leaseMilliseconds: 60_000, workerID: "test", on: client)
    }

    /// Fires a workflow event as `actor` (the steps another module or `instance fire` takes).
    @discardableResult
    public func fire(_ id: UUID, _ event: String, as actor: WorkflowActor, data: [String: JSONValue] = [:]) async throws -> FireOutcome {
        let outcome = try await engine.fire(FireRequest(instanceID: id, event: event, data: data, actor: actor))
        #expect(outcome.status == .applied, "\(event): \(outcome.message)")
        return outcome
    }

    public func state(_ id: UUID) async throws -> String {
        try await engine.instance(id).state
    }

    public func context(_ id: UUID) async throws -> [String: JSONValue] {
        try JSONDecoder().decode([String: JSONValue].self, from: Data(try await engine.instance(id).context.utf8))
    }

    /// The number of rows of `table` for exchange `id`.
    public func count(_ table: String, _ id: UUID) async throws -> Int {
        let rows = try await client.query("SELECT count(*)::int8 FROM \(unescaped: table) WHERE exchange_id = \(id)", logger: logger).collect()
        return try rows[0].decode(Int.self)
    }

    /// Files the DDR request for COD and brings it through screening and matching to
    /// partner selection.
    public func exchangeAtPartnerSelection() async throws -> UUID {
        let id = try await exchanges.file(Fixtures.ddrRequest, by: Fixtures.codOfficial).exchangeID
        try await fire(id, "start-screening", as: Fixtures.manager)
        try await fire(id, "accept", as: Fixtures.manager)
        try await runTasks()
        #expect(try await state(id) == "match-review")
        try await fire(id, "approve-matches", as: Fixtures.manager)
        return id
    }

    /// … and on with RWA chosen and confirmed, to planning.
    public func exchangeAtPlanning() async throws -> UUID {
        let id = try await exchangeAtPartnerSelection()
        _ = try await exchanges.selectPartner("RWA", exchange: id, by: Fixtures.codOfficial)
        try await runTasks()
        _ = try await exchanges.confirmPartnership(exchange: id, by: Fixtures.rwaOfficial)
        return id
    }
}

/// The people, requests, plans and reports the tests use.
public enum Fixtures {
    public static let codOfficial = ExchangeActor(id: "amani", roles: ["official"], country: "COD")
    public static let rwaOfficial = ExchangeActor(id: "claire", roles: ["official"], country: "RWA")
    public static let sleOfficial = ExchangeActor(id: "foday", roles: ["official"], country: "SLE")
    public static let keOfficial = ExchangeActor(id: "wanjiru", roles: ["official"], country: "KEN")
    public static let managerActor = ExchangeActor(id: "pm", roles: ["program-manager"])
    public static let manager = WorkflowActor.person("pm", roles: ["program-manager"])
    public static let approver = WorkflowActor.person("fay", roles: ["fund-approver"])
    public static let financeOfficer = WorkflowActor.person("finn", roles: ["finance-officer"])

    public static let ddrRequest = ExchangeRequest(
        country: "COD", countryName: "Democratic Republic of the Congo", region: .subSaharanAfrica, incomeGroup: .low,
        developmentGoal: "Lasting peace in the eastern provinces after the civil war",
        institutionalChallenge: "The national commission cannot reintegrate demobilised ex-combatants and former fighters into their communities",
        changeObjective: "Design a community-based reintegration programme with livelihood support for former fighters",
        sectors: [.demobilisationReintegration, .peacebuilding], instruments: [.studyVisit, .videoconference],
        indicators: [Indicator(name: "Former fighters with a livelihood", unit: "%", baseline: 12, target: 40),
                     Indicator(name: "Days to process a case", unit: "days", baseline: 90, target: 30)])

    /// A day `days` from today (UTC), as plans write it.
    public static func day(_ days: Int) -> CalendarDay {
        CalendarDay(Date().addingTimeInterval(Double(days) * 86_400))
    }

    public static func plan(grantMinor: Int64 = 1_500_000, startIn days: Int = 60) -> VisitPlan {
        VisitPlan(
            activities: [
                .init(instrument: .videoconference, title: "Kick-off with the RDRC", start: day(days), end: day(days),
                      link: "https://meet.example.org/cod-rwa", participants: [
                          .init(name: "Amani Kabila", institution: "UEPN-DDRCS", country: "COD", role: "lead"),
                          .init(name: "Claire Uwase", institution: "RDRC", country: "RWA", role: "host")]),
                .init(instrument: .studyVisit, title: "Reintegration centres in Musanze", start: day(days + 30), end: day(days + 34),
                      place: "Musanze, Rwanda", participants: [
                          .init(name: "Amani Kabila", institution: "UEPN-DDRCS", country: "COD", role: "visitor"),
                          .init(name: "Claire Uwase", institution: "RDRC", country: "RWA", role: "host")]),
            ],
            budget: [
                .init(category: .travel, description: "Flights Kinshasa–Kigali for four", amountMinor: grantMinor, currency: "USD", paidBy: .grant),
                .init(category: .perDiem, description: "Per diem, four people, five days", amountMinor: 400_000, currency: "USD", paidBy: .grant),
                .init(category: .venue, description: "Debriefing workshop in Kinshasa", amountMinor: 250_000, currency: "USD", paidBy: .coFinancing),
            ])
    }

    public static let report = ResultsReport(
        indicators: [.init(name: "Former fighters with a livelihood", actual: 31), .init(name: "Days to process a case", actual: 45)],
        outcomes: [
            .init(kind: .newKnowledge, description: "The commission learned how Rwanda runs community reintegration committees with radio outreach"),
            .init(kind: .newAndImprovedActions, description: "A pilot of cooperative workshops for former fighters opened in Goma"),
        ],
        lessons: ["Community reintegration committees need a budget line of their own from the first year."],
        feedback: .init(requestingCountry: "The study visit showed practices we could adapt at once.",
                        partnerCountry: "The questions of the Congolese team sharpened our own review."))
}

/// Runs `engine`'s due task jobs (not timers), as a worker would, until none is left: a task's
/// event may enqueue further tasks. Returns the task names run, in order.
@discardableResult
public func runEngineTasks(_ engine: WorkflowEngine, client: PostgresClient, logger: Logger) async throws -> [String] {
    let store = QueueStore(logger: logger)
    let handlers = engine.jobHandlers()
    let kinds = handlers.kinds.filter { $0.rawValue.hasPrefix("workflow-task:") }
    var ran: [String] = []
    for _ in 0..<20 {
        _ = try await store.promoteDue(queue: QueueName(WorkflowEngine.defaultQueue), on: client)
        let jobs = try await store.claim(queue: QueueName(WorkflowEngine.defaultQueue), limit: 100, kinds: kinds,
                                         leaseMilliseconds: 60_000, workerID: "test", on: client)
        if jobs.isEmpty { return ran }
        for job in jobs {
            let handler = try #require(handlers.handler(for: job.kind))
            do {
                try await handler.handle(job, logger: logger)
                _ = try await store.complete([job.lease], on: client)
            } catch {
                _ = try await store.fail([Failure(lease: job.lease, message: String(describing: error), retryDelayMilliseconds: 0)], on: client)
                Issue.record("task \(job.kind.rawValue) failed: \(error)")
            }
            ran.append(String(job.kind.rawValue.dropFirst("workflow-task:".count)))
        }
    }
    return ran
}
