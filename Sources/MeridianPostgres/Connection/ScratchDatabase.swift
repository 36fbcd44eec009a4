import Logging
import PostgresNIO

/// A database of its own on a server, created for one run and dropped afterwards: the
/// benchmarks' scratch databases and the tests' fresh ones, written once.
///
/// ```swift
/// try await ScratchDatabase.with("meridian_bench_engine_1", on: server, logger: logger) { settings in
///     try await Migrator.bundled().migrate(settings, logger: logger)
/// }
/// ```
public struct ScratchDatabase: Sendable {
    /// How to connect to the scratch database.
    public let settings: ConnectionSettings
    /// The server's `postgres` database, where `CREATE` and `DROP DATABASE` run.
    let maintenance: ConnectionSettings

    /// Creates the database `name` on the server `server` points at.
    /// - Parameters:
    ///   - template: the database to copy (`nil`: the server's default, `template1`).
    ///   - replacing: drop a database of that name first (one a killed run left).
    public static func create(
        _ name: String,
        on server: ConnectionSettings,
        template: String? = nil,
        replacing: Bool = false,
        logger: Logger
    ) async throws -> ScratchDatabase {
        let scratch = ScratchDatabase(on: server, name: name)
        let quoted = ConnectionSettings.quoteIdentifier(name)
        let copying = template.map { " TEMPLATE " + ConnectionSettings.quoteIdentifier($0) } ?? ""
        try await withPostgresConnection(scratch.maintenance, logger: logger) { connection in
            if replacing {
                try await connection.guardedQuery("DROP DATABASE IF EXISTS \(unescaped: quoted) WITH (FORCE)", logger: logger)
            }
            try await connection.guardedQuery("CREATE DATABASE \(unescaped: quoted)\(unescaped: copying)", logger: logger)
        }
        return scratch
    }

    /// Creates the database, runs `body` with its settings and drops it, even when `body` throws.
    public static func with<Result: Sendable>(
        _ name: String,
        on server: ConnectionSettings,
        template: String? = nil,
        replacing: Bool = false,
        logger: Logger,
        _ body: (ConnectionSettings) async throws -> Result
    ) async throws -> Result {
        let scratch = try await create(name, on: server, template: template, replacing: replacing, logger: logger)
        let result: Result
        do {
            result = try await body(scratch.settings)
        } catch {
            try? await scratch.drop(logger: logger)
            throw error
        }
        try await scratch.drop(logger: logger)
        return result
    }

    /// The database `name` on `server`, whether or not it exists (to reuse or drop one).
    public init(on server: ConnectionSettings, name: String) {
        var settings = server
        settings.database = name
        var maintenance = server
        maintenance.database = "postgres"
        self.settings = settings
        self.maintenance = maintenance
    }

    /// Whether the database exists on its server.
    public func exists(logger: Logger) async throws -> Bool {
        let name = settings.database
        return try await withPostgresConnection(maintenance, logger: logger) { connection in
            try await connection.guardedQuery("SELECT count(*) FROM pg_database WHERE datname = \(name)", logger: logger)
                .collect()[0].decode(Int.self) == 1
        }
    }

    /// Drops the database, ending its sessions (`WITH (FORCE)`); no error when it is gone.
    public func drop(logger: Logger) async throws {
        let quoted = ConnectionSettings.quoteIdentifier(settings.database)
        try await withPostgresConnection(maintenance, logger: logger) { connection in
            try await connection.guardedQuery("DROP DATABASE IF EXISTS \(unescaped: quoted) WITH (FORCE)", logger: logger)
        }
    }
}
