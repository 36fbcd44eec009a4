import MeridianCodes
import ArgumentParser
import MeridianService
import Foundation
import Logging
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianIdentity
import MeridianPostgres
import MeridianQueue
import MeridianShippedWorkflows
import MeridianWorkflow
import PostgresNIO

/// `meridian demo`: the README's main command — five knowledge exchanges from request to
/// closed through the real workflow, queue and worker.
///
/// It uses the real parts only: the private PostgreSQL cluster, the deployed definitions,
/// the knowledge base, identities and tokens, the engine, the queue with a worker, the trust
/// fund's ledger, ISO 20022 payment files. It is safe to run again: deployment, seeding, the
/// users and the fund are idempotent; each run files five new exchanges, adds a contribution
/// to the fund, and revokes the tokens it created.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Bring up the database and run five knowledge exchanges from request to closed.",
        discussion: """
            Starts (or reuses) the private PostgreSQL cluster and migrates it, deploys the shipped \
            workflows, loads the seed knowledge base, opens a trust fund, adds the users (officials, \
            a program manager, fund approvers, a finance officer) and, acting as them with tokens, \
            runs five exchanges — the DR Congo, Nepal, Uganda, Moldova, Ghana — through matching, \
            partner choice, plans, grant approval, disbursement, ISO 20022 payment files and \
            results, with a worker running their tasks. Nepal's first grant is rejected and its \
            plan revised; Uganda's first payment bounces and is paid on the second try. It ends \
            with every exchange's status, the fund statement and the queue statistics. The people, \
            plans, amounts and accounts are invented; the programmes they are matched with are real.

            On the private cluster it runs in a database of its own, meridian_demo (another with \
            --database NAME), so its invented exchanges, people and money never reach your knowledge \
            base in the database meridian; look at them afterwards with --database meridian_demo. \
            With an external database (--database-url or MERIDIAN_DATABASE_URL) it refuses to run \
            unless --allow-external-database confirms it may add to that database.

            Example:
              swift run meridian demo
              meridian demo --files-dir /tmp/demo-files
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Where the payment files, the bank's answers and the IATI file are written (default: a folder in the system's temporary directory).")
    var filesDir: String?

    @Flag(help: "Run on the external database of --database-url or MERIDIAN_DATABASE_URL, which the demo adds users, a fund, money and exchanges to.")
    var allowExternalDatabase = false

    func validate() throws {
        if database.externalURL != nil, !allowExternalDatabase {
            throw ValidationError("The demo adds users, a trust fund, money and exchanges to its database; with an external database (--database-url or MERIDIAN_DATABASE_URL) add --allow-external-database to confirm, or run it on the private cluster.")
        }
    }

    /// The demo's trust fund, and who the demo says created it.
    static let fundID = "rapid-response"
    /// The private cluster's database the demo runs in unless --database names another.
    static let privateDatabase = "meridian_demo"
    static let creator = "meridian-demo"

    func run() async throws {
        section("database")
        let settings = try await database.connect(privateDefault: Self.privateDatabase)
        print("  ready at \(settings.url)\(database.externalURL == nil ? " (the demo's own database; yours is untouched)" : "")")
        let folder = try filesFolder()
        try await withPostgresClient(settings, logger: database.logger, whenStuck: DatabaseOptions.exitStuck) { client in
            let logger = database.logger
            let engine = try MeridianService(client: client, logger: logger).engine
            try await deployWorkflows(engine)
            try await loadKnowledgeBase(client)
            let cast = DemoCast(store: IdentityStore(client: client, logger: logger))
            try await signIn(cast)
            try await openFund(client)
            let run = DemoRun(engine: engine, cast: cast, folder: folder, logger: logger)
            try await DemoWorker.running(engine: engine, settings: settings, logger: logger) {
                try await run.run(DemoScenario.all)
            }
            try await summarise(run, client: client, folder: folder)
            try await cast.signOutEveryone()
        }
        let flag = database.externalURL == nil ? " --database \(database.privateDatabase ?? Self.privateDatabase)" : ""
        print("\ndone. Try `meridian exchange list\(flag)`, `meridian fund statement \(Self.fundID)\(flag)` or `meridian kb search reintegration\(flag)`.")
    }

    private func filesFolder() throws -> URL {
        let folder = filesDir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("meridian-demo")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CLIFailure("cannot create the folder \(folder.path) for the demo's files: \(error.localizedDescription); choose another with --files-dir", status: .failure)
        }
        return folder
    }

    private func deployWorkflows(_ engine: WorkflowEngine) async throws {
        section("workflows")
        let files = try ShippedWorkflows.urls.map { url in
            WorkflowEngine.DefinitionFile(name: url.lastPathComponent, bytes: Array(try Data(contentsOf: url)))
        }
        for result in try await engine.deploy(files) {
            print("  \(result.workflowID) v\(result.version)  sha256:\(result.sha256.prefix(16))…  \(result.status.rawValue)")
        }
    }

    private func loadKnowledgeBase(_ client: PostgresClient) async throws {
        section("knowledge base")
        let experiences = try SeedCatalogue.experiences()
        let counts = try await ExperienceImporter.store(experiences, client: client, logger: database.logger)
        print("  seed catalogue: \(experiences.count) real programmes with their sources (\(counts.inserted) new, \(counts.updated) updated)")
    }

    private func signIn(_ cast: DemoCast) async throws {
        section("people (invented), each acting with a token of her own")
        for person in DemoCast.staff + DemoScenario.all.map(\.official) {
            let added = try await cast.signIn(person)
            print("  \(person.handle) — \(person.name), \(person.role)\(person.country.map { " of \($0)" } ?? "")\(added ? "  (added)" : "")")
        }
    }

    /// The trust fund, created once; every run adds a contribution so it can fund five more grants.
    private func openFund(_ client: PostgresClient) async throws {
        section("trust fund")
        let funds = FundStore(client: client, logger: database.logger)
        let usd = try Currency.named("USD")
        do {
            let existing = try await funds.fund(Self.fundID)
            guard existing.createdBy == Self.creator else {
                throw CLIFailure("a fund '\(Self.fundID)' exists that the demo did not create (by \(existing.createdBy)); the demo will not put money into it",
                                 status: .conflict)
            }
        } catch let error as FundingError where error.code == .notFound {
            let fund = Fund(id: Self.fundID, name: "Rapid Response Trust Fund (demo)", currency: usd, donors: ["Donor A", "Donor B"],
                            account: try BankAccount.iban("IT60 X054 2811 1010 0000 0123 456"), createdBy: Self.creator)
            try await funds.create(fund)
            print("  opened \(Self.fundID): Rapid Response Trust Fund (demo), USD, at most \(fund.maxGrant) per grant")
        }
        let reference = "DEMO-\(UUID().uuidString.prefix(8))"
        let contribution = try await funds.contribute(fund: Self.fundID, donor: "Donor A", amount: Money(minorUnits: 300_000_00, currency: usd),
                                                      receivedOn: CalendarDay(Date()), reference: reference, actorID: Self.creator)
        print("  Donor A contributes \(contribution.amount) (reference \(reference))")
    }

    /// Every exchange's status, the fund statement, the audit of every history and the queue.
    private func summarise(_ run: DemoRun, client: PostgresClient, folder: URL) async throws {
        let logger = database.logger
        section("the five exchanges")
        let grants = try await GrantQueries(client: client, logger: logger).list()
        var rows: [[String]] = []
        for exchange in run.tracked {
            let instance = try await run.engine.instance(exchange.id)
            let grant = grants.last { $0.instanceID == exchange.id && $0.status != .rejected }
            let audit = try await run.engine.verifyHistory(instance: exchange.id)
            rows.append([String(exchange.id.uuidString.lowercased().prefix(8)), exchange.scenario.request.country, exchange.partner,
                         instance.state, grant.map { "\($0.amount)" } ?? "–", grant?.status.rawValue ?? "–",
                         "\(audit.entries) entries, \(audit.isIntact ? "chain intact" : "BROKEN")"])
        }
        print(Table.render(["exchange", "country", "partner", "state", "grant", "grant status", "history"], rows)
            .split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))

        section("fund statement")
        let statement = try await FundStatement.read(fund: Self.fundID, asOf: CalendarDay(Date()), client: client, logger: logger)
        for (label, amount) in [("contributions", statement.contributions), ("committed", statement.committed), ("in payment", statement.inPayment),
                                ("disbursed", statement.disbursed), ("available", statement.available)] {
            print("  \(label.padding(toLength: 14, withPad: " ", startingAt: 0)) \(amount)")
        }
        if !statement.coFinancing.isEmpty {
            print("  co-financing   \(statement.coFinancing.map(\.description).joined(separator: ", ")) (by the countries, not paid through Meridian)")
        }
        let activities = try await FundIATIExport(client: client, logger: logger, reportingOrg: .init(ref: "XM-DAC-MERIDIAN-DEMO", type: "40", name: "Meridian demo secretariat"))
            .activities(fund: Self.fundID)
        let iati = folder.appendingPathComponent("\(Self.fundID)-iati.xml")
        try Data(IATIActivityWriter.write(activities).utf8).write(to: iati)
        print("  IATI 2.03 activities: \(activities.count) → \(iati.path)")

        section("queue")
        for queue in try await QueueStore(logger: logger).stats(on: client) {
            print("  \(queue.queue): \(queue.available) waiting, \(queue.scheduled) scheduled (timers and retries), \(queue.running) running, \(queue.dead) dead")
        }
    }

    private func section(_ title: String) {
        print("\n» \(title)")
    }
}
