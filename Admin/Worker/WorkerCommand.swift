import MeridianService
import ArgumentParser
import Foundation
import Logging
import MeridianExchange
import MeridianPostgres
import MeridianQueue
import ServiceLifecycle
import UnixSignals

/// `meridian worker`: runs queued jobs until SIGTERM or SIGINT, then stops gracefully.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run queued jobs until stopped (SIGTERM or SIGINT stop it gracefully).",
        discussion: """
            Serves the named queues, each with its own concurrency (default \(QueueWorkerConfiguration.defaultConcurrency)). \
            On SIGTERM or SIGINT it claims nothing more, lets running jobs finish until \
            --shutdown-deadline, gives the rest back (their attempt is not counted) and exits 0. \
            Run as many workers, on as many hosts, as you like against one database.

            It runs the engine's jobs (timers and every domain's tasks, on the queue `engine`) and the \
            queue's own kinds (`noop`, and `diagnostic.record` with --diagnostics-dir); jobs of other \
            kinds wait for a worker that knows them.

            Example:
              meridian worker --queue default=50 --queue mail=4 --verbose
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("queue"), help: ArgumentHelp("A queue to serve, optionally with its concurrency (repeatable).", valueName: "name[=concurrency]"))
    var queues: [QueueArgument] = []

    @Option(help: "The most jobs one claim takes.") var claimBatch = 100
    @Option(help: "Lease length in milliseconds.") var leaseMs: Int64 = 30_000
    @Option(help: "Heartbeat interval in milliseconds (default: a third of the lease).") var heartbeatMs: Int64?
    @Option(help: "Longest sleep without looking at the table, in milliseconds.") var pollMs: Int64 = 1_000
    @Option(help: "How often to return expired leases, in milliseconds.") var rescueMs: Int64 = 15_000
    @Option(help: "On shutdown, how long running jobs may still finish, in milliseconds.") var shutdownDeadlineMs: Int64 = 25_000
    @Option(help: "The longest one attempt of a job may run before it is cancelled and failed, in milliseconds (0: no limit).") var jobTimeoutMs: Int64 = 300_000
    @Option(help: "Folder where `diagnostic.record` jobs log their runs (enables that kind).") var diagnosticsDir: String?
    @Option(help: "Most database connections the worker's jobs share (default 20; the LISTEN connection is extra).") var connections: Int?

    func validate() throws {
        guard claimBatch > 0, leaseMs > 0, pollMs > 0, rescueMs > 0, shutdownDeadlineMs >= 0, jobTimeoutMs >= 0, (heartbeatMs ?? 1) > 0 else {
            throw ValidationError("--claim-batch, --lease-ms, --heartbeat-ms, --poll-ms and --rescue-ms must be positive, --shutdown-deadline-ms and --job-timeout-ms not negative.")
        }
        if let heartbeatMs, heartbeatMs >= leaseMs { throw ValidationError("--heartbeat-ms must be shorter than --lease-ms.") }
        let names = queues.map(\.name)
        guard Set(names).count == names.count else { throw ValidationError("Each --queue may be named once.") }
        if let connections, connections < 2 { throw ValidationError("--connections must be at least 2 (claims and acknowledgements run beside the jobs).") }
    }

    func run() async throws {
        var configuration = QueueWorkerConfiguration()
        if !queues.isEmpty { configuration.queues = queues.map { .init(QueueName($0.name), concurrency: $0.concurrency) } }
        configuration.claimBatchSize = claimBatch
        configuration.leaseDuration = .milliseconds(leaseMs)
        configuration.heartbeatInterval = .milliseconds(heartbeatMs ?? max(1, leaseMs / 3))
        configuration.pollInterval = .milliseconds(pollMs)
        configuration.rescueInterval = .milliseconds(rescueMs)
        configuration.shutdownDeadline = .milliseconds(shutdownDeadlineMs)
        configuration.jobTimeout = jobTimeoutMs > 0 ? .milliseconds(jobTimeoutMs) : nil
        var logger = database.logger
        logger.logLevel = min(logger.logLevel, .notice)
        if database.verbose { logger.logLevel = .info }
        let handlers = BuiltinHandlers.make(diagnosticsDirectory: diagnosticsDir)
        var backoff = Backoff()
        while true {
            var settings = try await connectPatiently(&backoff)
            settings.maximumConnections = connections
            var serving = false
            do {
                // The worker waits and retries by itself when the database goes away: no watchdog.
                try await withPostgresClient(settings, logger: logger, watchdog: false) { client in
                    serving = true
                    let handlers = try MeridianService(client: client, logger: logger).workerHandlers(adding: handlers)
                    let worker = QueueWorker(client: client, listenSettings: settings, handlers: handlers, configuration: configuration, logger: logger)
                    let group = ServiceGroup(
                        configuration: .init(
                            // Every change to an exchange logs a row for the servers' view caches; workers prune them too.
                            services: [.init(service: worker), .init(service: ExchangeViewChangePruner(settings: settings, logger: logger))],
                            gracefulShutdownSignals: [.sigterm, .sigint],
                            logger: logger
                        )
                    )
                    try await group.run()
                }
                return
            } catch let error where !serving && DatabaseUnavailable.isUnavailable(error) {
                // Gone again between the check and the pool's own first connection: wait as at start.
                try await backoff.wait(after: error, logger: database.logger)
            }
        }
    }
}

extension WorkerCommand {
    /// The database, waited for: a worker started while PostgreSQL shuts down, restarts or is
    /// not up yet retries with backoff (0.5 s doubling to 10 s), as it does when the database
    /// goes away later, instead of exiting. Other errors (a bad URL, pending migrations) end it.
    func connectPatiently(_ backoff: inout Backoff) async throws -> ConnectionSettings {
        while true {
            do {
                let settings = try await database.connect()
                try await withPostgresConnection(settings, logger: database.logger) { _ in }
                return settings
            } catch let error where DatabaseUnavailable.isUnavailable(error) {
                try await backoff.wait(after: error, logger: database.logger)
            }
        }
    }

    /// The pause before the next attempt to reach the database: 0.5 s, doubling up to 10 s.
    struct Backoff {
        private var delay: Duration = .milliseconds(500)

        /// Logs why the database is unavailable and sleeps the next pause.
        mutating func wait(after error: any Error, logger: Logger) async throws {
            var logger = logger
            logger.logLevel = min(logger.logLevel, .warning)
            logger.warning("the database is unavailable; retrying in \(delay)", metadata: ["error": "\(DatabaseUnavailable.reason(error))"])
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(10))
        }
    }
}

/// `NAME` or `NAME=CONCURRENCY`.
struct QueueArgument: ExpressibleByArgument {
    var name: String
    var concurrency: Int

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard let name = parts.first, !name.isEmpty else { return nil }
        self.name = name
        if parts.count == 2 {
            guard let concurrency = Int(parts[1]), concurrency > 0 else { return nil }
            self.concurrency = concurrency
        } else {
            self.concurrency = QueueWorkerConfiguration.defaultConcurrency
        }
    }
}
