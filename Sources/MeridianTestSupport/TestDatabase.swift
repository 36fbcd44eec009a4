import Foundation
import Logging
import MeridianPostgres
import PostgresNIO

/// A migrated database of its own for one test or suite, copied from the test run's template
/// and dropped afterwards.
///
/// ```swift
/// try await TestDatabase.withFresh { database in
///     try await withPostgresClient(database.settings, logger: database.logger) { client in … }
/// }
/// ```
public struct TestDatabase: Sendable {
    /// How to connect (for `withPostgresClient` and `withPostgresConnection`).
    public let settings: ConnectionSettings
    /// The same as a URL, for child processes (`meridian --database-url …`).
    public var url: String { settings.url }
    /// The database's name, unique in the test run.
    public var name: String { settings.database }
    /// A logger that stays quiet unless `MERIDIAN_TEST_LOG` is set.
    public let logger: Logger

    /// Creates a fresh database, runs `body` with it and drops it, even when `body` throws.
    /// - Parameter migrated: `true` copies the migrated template; `false` gives an empty
    ///   database (for tests of migrations themselves).
    public static func withFresh<Result: Sendable>(
        migrated: Bool = true,
        _ body: (TestDatabase) async throws -> Result
    ) async throws -> Result {
        try await TestSlots.shared.withSlot {
            try await withFreshDatabase(migrated: migrated, body)
        }
    }

    private static func withFreshDatabase<Result: Sendable>(
        migrated: Bool,
        _ body: (TestDatabase) async throws -> Result
    ) async throws -> Result {
        let cluster = try await TestCluster.shared.value
        let logger = makeLogger()
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let template = migrated ? TestCluster.templateDatabase : "template0"
        let scratch = try await createRetryingWhileTemplateBusy(name, on: cluster.connection, template: template, logger: logger)
        do {
            let result = try await body(TestDatabase(settings: scratch.settings, logger: logger))
            try? await scratch.drop(logger: logger)
            return result
        } catch {
            try? await scratch.drop(logger: logger)
            throw error
        }
    }

    /// Creates the database, retrying for up to ten seconds while another session is still
    /// connected to the template (SQLSTATE 55006: a connection that just finished with the
    /// template, such as a migrator's, can linger for a moment before the server drops it).
    private static func createRetryingWhileTemplateBusy(
        _ name: String, on server: ConnectionSettings, template: String, logger: Logger
    ) async throws -> ScratchDatabase {
        var attempt = 0
        while true {
            do {
                return try await ScratchDatabase.create(name, on: server, template: template, logger: logger)
            } catch let error as PSQLError {
                attempt += 1
                if error.serverInfo?[.sqlState] == "55006", attempt < 100 {
                    try await Task.sleep(for: .milliseconds(100))
                    continue
                }
                // PostgresNIO hides the server's message; a test that cannot get its database says why.
                throw TestDatabaseUnavailable(reason: String(reflecting: error))
            }
        }
    }

    static func makeLogger() -> Logger {
        var logger = Logger(label: "meridian.tests")
        logger.logLevel = ProcessInfo.processInfo.environment["MERIDIAN_TEST_LOG"] != nil ? .debug : .critical
        return logger
    }

    /// The test run's cluster itself, for tests of the cluster and of migrations.
    public static func cluster() async throws -> EmbeddedCluster {
        try await TestCluster.shared.value
    }
}

/// The fresh database of a test could not be created, with the server's own reason.
struct TestDatabaseUnavailable: Error, CustomStringConvertible {
    var reason: String
    var description: String { "cannot create the test's database: \(reason)" }
}
