import ArgumentParser
import Foundation
import Logging
import MeridianCodes
import MeridianPostgres
import PostgresNIO

/// Where the database is: `--database-url`, `MERIDIAN_DATABASE_URL`, or the embedded cluster.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "A PostgreSQL URL (postgresql://USER@HOST:PORT/DB). Default: MERIDIAN_DATABASE_URL, else the private cluster.",
            valueName: "url"
        )
    )
    var databaseURL: String?

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "The private cluster's folder. Default: MERIDIAN_DATA_DIR, else /var/lib/meridian/postgres as root, else ~/.local/share/meridian/postgres.",
            valueName: "path"
        )
    )
    var dataDirectory: String?

    @Option(
        name: .customLong("database"),
        help: ArgumentHelp(
            "The database in the private cluster. Default: meridian (the demo's own: meridian_demo).",
            valueName: "name"
        )
    )
    var privateDatabase: String?

    @Flag(name: .shortAndLong, help: "Log what meridian does to standard error.")
    var verbose = false

    var logger: Logger {
        var logger = Logger(label: "meridian")
        logger.logLevel = verbose ? .info : .warning
        return logger
    }

    /// The external database URL, if one is configured.
    var externalURL: String? { ConfiguredDatabase.externalURL(databaseURL) }

    /// The embedded cluster these options point at (whether or not it exists yet).
    func embeddedCluster(database fallback: String? = nil) throws -> EmbeddedCluster {
        try ConfiguredDatabase.embeddedCluster(dataDirectory: dataDirectory, database: privateDatabase ?? fallback)
    }

    /// Connection settings for the configured database (see `ConfiguredDatabase.connect`),
    /// with the environment's limits.
    /// - Parameter privateDefault: the private cluster's database when `--database` does not
    ///   name one (the demo keeps to `meridian_demo`); `nil` for Meridian's own.
    func connect(privateDefault: String? = nil) async throws -> ConnectionSettings {
        try await ConfiguredDatabase.connect(url: databaseURL, dataDirectory: dataDirectory, database: privateDatabase ?? privateDefault,
                                             logger: logger, limits: Self.limited)
    }

    /// The statement limit when MERIDIAN_STATEMENT_TIMEOUT says none: five minutes, far above
    /// any statement of a command, so only a stuck one is stopped.
    static let defaultStatementTimeout: Duration = .seconds(300)

    /// `settings` with the limits of the environment: MERIDIAN_CONNECT_TIMEOUT (seconds, when
    /// the URL gives no connect_timeout) and MERIDIAN_STATEMENT_TIMEOUT (seconds, 0 for none).
    static func limited(_ settings: ConnectionSettings) throws -> ConnectionSettings {
        var settings = settings
        let environment = ProcessInfo.processInfo.environment
        func seconds(_ name: String, allowZero: Bool) throws -> Int? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Int(text), value >= (allowZero ? 0 : 1), value <= 86_400 else {
                throw CLIFailure("\(name)=\(text) is not a whole number of seconds from \(allowZero ? 0 : 1) to 86400", status: .usage)
            }
            return value
        }
        if let connect = try seconds("MERIDIAN_CONNECT_TIMEOUT", allowZero: false), settings.connectTimeout == ConnectionSettings.defaultConnectTimeout {
            settings.connectTimeout = .seconds(connect)
        }
        switch try seconds("MERIDIAN_STATEMENT_TIMEOUT", allowZero: true) {
        case nil: settings.statementTimeout = settings.statementTimeout ?? defaultStatementTimeout
        case 0?: settings.statementTimeout = nil
        case let value?: settings.statementTimeout = .seconds(value)
        }
        return settings
    }
}

extension DatabaseOptions {
    /// Runs `body` with a pooled client on the configured database.
    func withClient<Result: Sendable>(_ body: (PostgresClient, Logger) async throws -> Result) async throws -> Result {
        let settings = try await connect()
        let logger = self.logger
        return try await withPostgresClient(settings, logger: logger, whenStuck: Self.exitStuck) { client in
            try await body(client, logger)
        }
    }

    /// Ends a command whose database went away under a statement that can no longer end
    /// (see `withPostgresClient`): its one error line, exit 69.
    static let exitStuck: @Sendable (DatabaseError) -> Void = { error in
        let failure = CLIFailure(error) ?? CLIFailure(error.description, status: .unavailable)
        Meridian.fail(ErrorLine.oneLine(failure.message), status: failure.status.rawValue)
    }
}
