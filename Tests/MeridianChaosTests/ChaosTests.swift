import MeridianCodes
import Foundation
import Logging
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianIdentity
import MeridianPostgres
import MeridianShippedWorkflows
import MeridianTestSupport
import PostgresNIO
import Synchronization
import Testing
import MeridianService

/// The chaos suite: many exchanges from request to closed through the real workflow, with
/// several `meridian worker` processes SIGKILLed at random and the PostgreSQL server (its
/// postmaster, with fsync on) SIGKILLed and restarted. Afterwards every exchange must be
/// closed exactly once, nothing done twice, no job dead, the ledger balanced when replayed
/// from its entries and every history's hash chain intact (`meridian audit verify`).
///
/// `swift test` runs the short setting (``ChaosSettings``); `scripts/chaos.sh` runs longer ones.
@Suite("chaos: exchanges while workers and the database server are killed")
struct ChaosTests {
    @Test("every exchange closed exactly once through worker kills and server crashes; ledger, queue and history intact")
    func exchangesSurviveCrashes() async throws {
        let settings = ChaosSettings.fromEnvironment()
        var logger = Logger(label: "meridian.chaos")
        logger.logLevel = ProcessInfo.processInfo.environment["MERIDIAN_TEST_LOG"] != nil ? .debug : .critical
        let started = ContinuousClock.now
        let cluster = try await ChaosCluster.create(logger: logger)
        defer { cluster.destroy() }
        let workers = ChaosWorkers(url: cluster.url)
        let runID = String(UUID().uuidString.prefix(8)).lowercased()

        // No watchdog: the driver rides through the server's crashes, retrying its steps.
        let apiHolder = Mutex<ChaosAPI?>(nil)
        let (findings, restarts, progress, bank) = try await Self.stoppingWorkers(workers, api: { apiHolder.withLock { $0 } }) {
          try await withPostgresClient(cluster.settings, logger: logger, watchdog: false) { client in
            // The engine as Meridian assembles it: every domain's plugin and task handlers.
            let engine = try MeridianService(client: client, logger: logger).engine
            let seedExperiences = try await Self.prepare(engine, exchanges: settings.exchanges, logger: logger)
            let api = try await ChaosAPI.start(databaseURL: cluster.url, token: try await Self.managerToken(client, logger))
            apiHolder.withLock { $0 = api }
            try await workers.start(settings.workers)
            let progress = ChaosProgress()
            let bank = ChaosBank()
            let driver = ChaosDriver(engine: engine, bank: bank, progress: progress, logger: logger, runID: runID, api: api)
            let monkey = ChaosMonkey(cluster: cluster, workers: workers, progress: progress, settings: settings, api: api)
            let driving = Mutex(true)
            let stop: @Sendable () async -> Bool = { !driving.withLock { $0 } }
            let deadline = ContinuousClock.now + .seconds(settings.deadlineSeconds)

            async let bankRun: Void = driver.runBank(until: stop)
            async let restarts = monkey.run(until: stop)
            await Self.driveAll(driver, settings: settings, until: deadline)
            driving.withLock { $0 = false }
            await bankRun
            let crashes = try await restarts

            // The last crash's server is up (start is a no-op when it runs); the workers
            // finish what is queued; then they stop and the checks read what is left.
            try await cluster.restart()
            try await waitUntil("the queue to have nothing left to run", within: 120,
                                explain: { await Self.jobsLeft(cluster.settings, logger) }) {
                try await Self.count(client, logger, """
                    SELECT count(*) FROM queue_jobs WHERE state <> 'scheduled' OR run_at < now() + interval '1 minute'
                    """) == 0
            }
            await workers.stop()
            await api.stop()
            let keys = (0..<settings.exchanges).map(driver.filingKey)
            let findings = try await ChaosChecks(client: client, logger: logger)
                .run(keys: keys, fund: ChaosScenario.fundID, grantMinor: ChaosScenario.grantMinor, seedExperiences: seedExperiences)
            return (findings, crashes, progress, bank)
          }
        }

        let audit = try await MeridianBinary.run(["audit", "verify", "--database-url", cluster.url])
        let kills = await workers.kills
        let api = try #require(apiHolder.withLock { $0 })
        let serverKills = await api.kills
        let lostAnswers = await api.lostAnswers
        let ownExits = await workers.ownExits
        let received = bank.received()
        let seconds = (ContinuousClock.now - started).components.seconds
        let actions = await progress.actions
        let failures = await progress.failures
        let lastFailures = await progress.lastFailure
        let hangs = await ChaosHangs.shared.count
        print("""
            chaos: \(settings) — \(seconds) s; \(actions) steps, \(failures) calls failed and retried; \
            \(hangs) call(s) hung and were abandoned after 30 s; \
            \(received.files) payment files, \(received.payments) payments; \(ownExits.count) worker(s) exited on their own\
            \(ownExits.isEmpty ? "" : " (\(ownExits.prefix(3).joined(separator: "; ")))")
            chaos: audit: \(audit.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))\(audit.standardError)
            chaos: meridian serve SIGKILLed \(serverKills) times; \(lostAnswers) request(s) lost their answer and were sent again with their key
            \(settings.exchanges) exchanges, \(kills) kills, \(restarts) restarts: \(findings.lost.count) lost, \
            \(findings.doubled.count + received.inSeveralFiles.count) doubled
            """)
        #expect(findings.lost.isEmpty, "lost: \(findings.lost.prefix(10)); last failures: \(lastFailures.prefix(10))")
        #expect(findings.doubled.isEmpty, "doubled: \(findings.doubled.prefix(10))")
        // Seen in long runs: `PaymentExport` delivers its file before its transaction commits, so a
        // crash in between leaves the instructions pending and the next export sends them again.
        #expect(received.inSeveralFiles.isEmpty,
                "payments sent to the bank in more than one pain.001 file (a file delivered by an export whose commit was lost?): \(received.inSeveralFiles.prefix(10))")
        #expect(findings.problems.isEmpty, "\(findings.problems)")
        #expect(audit.status == 0, "meridian audit verify: \(audit.standardOutput) \(audit.standardError)")
        #expect(restarts == settings.restarts, "the server was to be crashed \(settings.restarts) times, was \(restarts)")
        #expect(kills > 0, "no worker was killed: the run was too short to test anything")
        #expect(serverKills > 0, "meridian serve was never killed: the run was too short to test the HTTP path")
    }

    /// Drives every exchange, `settings.parallel` at a time.
    private static func driveAll(_ driver: ChaosDriver, settings: ChaosSettings, until deadline: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask { _ = await driver.drive(index, until: deadline) }
            }
            while next < min(settings.parallel, settings.exchanges) { add() }
            for await _ in group where next < settings.exchanges { add() }
        }
    }

    /// Runs `body`; when it fails, stops the worker processes first, so that a failed run
    /// leaves none behind (they would retry their vanished database for ever).
    private static func stoppingWorkers<Result>(_ workers: ChaosWorkers, api: () -> ChaosAPI?,
                                                _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch {
            await workers.stop()
            await api()?.stop()
            throw error
        }
    }

    /// The program manager as a user of the identity store, and a token the HTTP requests carry:
    /// the same person (`chaos.manager`) the library calls act as.
    private static func managerToken(_ client: PostgresClient, _ logger: Logger) async throws -> String {
        let store = IdentityStore(client: client, logger: logger)
        guard let adminToken = try await store.acting(as: nil).addUser(handle: "chaos.admin", name: "Chaos Admin", roles: [.admin], country: nil).token?.secret else {
            throw ChaosFailure("the bootstrap admin got no token")
        }
        let admin = store.acting(as: try await store.authenticate(token: adminToken))
        _ = try await admin.addUser(handle: ChaosScenario.manager.id, name: "Chaos Manager", roles: [.programManager], country: nil)
        return try await admin.createToken(for: ChaosScenario.manager.id, label: "chaos", expiresAt: nil).secret
    }

    /// Deploys the shipped workflows, loads the seed knowledge base and opens the fund with
    /// money for every grant; returns how many experiences the knowledge base holds.
    private static func prepare(_ engine: WorkflowEngine, exchanges: Int, logger: Logger) async throws -> Int64 {
        let files = try ShippedWorkflows.urls.map { url in
            WorkflowEngine.DefinitionFile(name: url.lastPathComponent, bytes: Array(try Data(contentsOf: url)))
        }
        _ = try await engine.deploy(files)
        _ = try await ExperienceImporter.store(try SeedCatalogue.experiences(), client: engine.client, logger: logger)
        let funds = FundStore(client: engine.client, logger: logger)
        let usd = try Currency.named("USD")
        try await funds.create(Fund(id: ChaosScenario.fundID, name: "Chaos Trust Fund", currency: usd, donors: ["Donor A"],
                                    account: try BankAccount.iban("IT60 X054 2811 1010 0000 0123 456"), createdBy: "chaos"))
        _ = try await funds.contribute(fund: ChaosScenario.fundID, donor: "Donor A",
                                       amount: Money(minorUnits: ChaosScenario.grantMinor * Int64(exchanges) + 1_000_00, currency: usd),
                                       receivedOn: CalendarDay(Date()), reference: "CHAOS-1", actorID: "chaos")
        return try await count(engine.client, logger, "SELECT count(*) FROM experiences")
    }

    /// The jobs still to run, read over a connection of its own (not the run's pool, which
    /// a crash may have left broken): what a failed wait for the queue reports.
    private static func jobsLeft(_ settings: ConnectionSettings, _ logger: Logger) async -> String {
        do {
            let rows = try await withPostgresConnection(settings, logger: logger) { connection in
                try await connection.query("""
                    SELECT queue || ' ' || kind || ' ' || state || ' attempt ' || attempt || '/' || max_attempts
                           || ' run_at ' || round(extract(epoch FROM run_at - now()))::text || ' s from now'
                           || coalesce(' lease ' || leased_by || ' expires in '
                                       || round(extract(epoch FROM lease_expires_at - now()))::text || ' s', '')
                           || ' last error: ' || coalesce(errors -> -1 ->> 'error', 'none')
                    FROM queue_jobs WHERE state <> 'scheduled' OR run_at < now() + interval '1 minute'
                    ORDER BY id LIMIT 20
                    """, logger: logger).collect().map { try $0.decode(String.self) }
            }
            return "jobs left (\(rows.count), at most 20 shown): \(rows.joined(separator: "; "))"
        } catch {
            return "the jobs left could not be read: \(String(reflecting: error))"
        }
    }

    private static func count(_ client: PostgresClient, _ logger: Logger, _ sql: String) async throws -> Int64 {
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect().first?.decode(Int64.self) ?? 0
    }
}
