import ArgumentParser
import Foundation
import Logging
import MeridianEngine
import MeridianExchange
import MeridianHTTP
import MeridianIdentity
import MeridianPostgres
import MeridianQueue
import MeridianService
import ServiceLifecycle
import UnixSignals

/// `meridian serve`: the HTTP API over the service, until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (/api/v1, /healthz, /readyz, /metrics) and the officials' web pages until stopped.",
        discussion: """
            Uses the same database as every command (the private cluster, started and migrated, \
            when none is configured). With --workers it also runs the queue's workers in the same \
            process, so a single `meridian serve --workers` is a whole Meridian. SIGTERM or SIGINT \
            stop it gracefully: no new connections, running requests and jobs finish.

            It speaks plain HTTP: listen on loopback (the default) and put a TLS-terminating \
            reverse proxy in front of it for other hosts (see docs/http-api.md).

            Example:
              meridian serve --port 8080 --workers
              curl -s localhost:8080/readyz
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @Flag(help: "Also run the queue's workers (every domain's tasks and timers) in this process.") var workers = false
    @Option(help: "Most database connections the server shares (default 20).") var connections: Int?
    @Option(help: "The largest request body, in bytes.") var maxBodyBytes = 1 << 20
    @Option(help: "How long one request may take, in seconds.") var requestTimeout = 30
    @Option(help: "Requests per second each caller may make, sustained.") var rateLimit: Double = 200
    @Option(help: ArgumentHelp(
        "How old, in milliseconds, a view of one exchange kept in memory may be against other processes' commits (0: read every view from the database).",
        discussion: "Writes made through this server are seen at once either way; see docs/http-api.md."))
    var viewCacheStaleness = 50
    @Flag(help: "Browsers reach this server over TLS (a proxy terminates it): mark the web pages' cookies Secure. Also MERIDIAN_SECURE_COOKIES=1.")
    var secureCookies = false

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1 to 65535.") }
        guard maxBodyBytes > 0, requestTimeout > 0, rateLimit > 0 else {
            throw ValidationError("--max-body-bytes, --request-timeout and --rate-limit must be positive.")
        }
        if let connections, connections < 2 { throw ValidationError("--connections must be at least 2.") }
        // The feed asks every 5 ms: a shorter bound would keep the cache but never serve from it.
        guard viewCacheStaleness == 0 || (20...60_000).contains(viewCacheStaleness) else {
            throw ValidationError("--view-cache-staleness must be 0 (off) or 20 to 60000 milliseconds.")
        }
    }

    func run() async throws {
        // Request loggers get metadata on every request; it is formatted only for lines written.
        LoggingSystem.bootstrap(ServerLogHandler.init(label:))
        var settings = try await database.connect()
        settings.maximumConnections = connections
        var logger = database.logger
        logger.logLevel = database.verbose ? .info : .notice
        let configuration = ServerConfiguration(host: host, port: port, maxBodyBytes: maxBodyBytes,
                                                requestTimeout: .seconds(requestTimeout), rateLimitPerSecond: rateLimit,
                                                rateLimitBurst: rateLimit * 2,
                                                secureCookies: secureCookies || ProcessInfo.processInfo.environment["MERIDIAN_SECURE_COOKIES"] == "1")
        let runWorkers = workers
        // A server outlives a database restart (its requests fail meanwhile, /readyz says so): no watchdog.
        try await withPostgresClient(settings, logger: logger, watchdog: false) { client in
            // Verified tokens are reused for a few seconds while the listener is connected;
            // any revoke or disable, from any process, empties the cache (`TokenCache`).
            let tokenCache = TokenCache()
            // Views of one exchange are answered from memory while its feed asks PostgreSQL,
            // every few milliseconds, what changed (`ExchangeViewCache`).
            let viewCache = viewCacheStaleness > 0 ? ExchangeViewCache(maximumStaleness: .milliseconds(viewCacheStaleness)) : nil
            let service = try MeridianService(client: client, logger: logger, tokenCache: tokenCache, exchangeViewCache: viewCache)
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
                .init(service: TokenCacheListener(cache: tokenCache, settings: settings, logger: logger)),
                .init(service: try MeridianServer.application(service: service, configuration: configuration, logger: logger)),
            ]
            if let viewCache { services.append(.init(service: ExchangeViewChangeFeed(cache: viewCache, settings: settings, logger: logger))) }
            services.append(.init(service: ExchangeViewChangePruner(settings: settings, logger: logger)))
            if runWorkers {
                let handlers = service.workerHandlers(adding: BuiltinHandlers.make(diagnosticsDirectory: nil))
                // The engine's timers and tasks are on their own queue (`engine`), beside `default`.
                var workerConfiguration = QueueWorkerConfiguration()
                workerConfiguration.queues = [.init(.default), .init(QueueName(WorkflowEngine.defaultQueue))]
                services.append(.init(service: QueueWorker(client: client, listenSettings: settings, handlers: handlers,
                                                           configuration: workerConfiguration, logger: logger)))
            }
            logger.notice("meridian serves http://\(configuration.host):\(configuration.port)\(runWorkers ? " with workers" : "")")
            try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
        }
    }
}
