import Logging
import PostgresNIO

/// Runs `body` with a pooled client that is connected to `settings`, and shuts the pool down
/// afterwards.
///
/// A single probe connection is made first, so that a wrong URL or a server that is down
/// fails at once with PostgreSQL's own reason instead of leaving queries waiting for a pool
/// that keeps retrying.
@discardableResult
public func withPostgresClient<Result: Sendable>(
    _ settings: ConnectionSettings,
    logger: Logger,
    _ body: (PostgresClient) async throws -> Result
) async throws -> Result {
    try await withPostgresConnection(settings, logger: logger) { _ in }
    // The pool warns when a lease races its own start-up; that is noise for a caller.
    var backgroundLogger = logger
    backgroundLogger.logLevel = max(logger.logLevel, .error)
    let client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: backgroundLogger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

/// Runs `body` with one connection that is closed afterwards, for work that needs a single
/// session (advisory locks, LISTEN, maintenance).
@discardableResult
public func withPostgresConnection<Result>(
    _ settings: ConnectionSettings,
    logger: Logger,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (PostgresConnection) async throws -> sending Result
) async throws -> sending Result {
    let connection: PostgresConnection
    do {
        connection = try await PostgresConnection.connect(
            configuration: try settings.connectionConfiguration, id: 1, logger: logger
        )
    } catch {
        throw DatabaseError(
            .clusterNotRunning,
            "cannot connect to \(settings.url): \(String(reflecting: error))",
            hint: "check that the server runs and the URL is right (`meridian db status`)"
        )
    }
    do {
        let result = try await body(connection)
        try await connection.close()
        return result
    } catch {
        try? await connection.close()
        throw error
    }
}
