import Logging
import PostgresNIO

extension PostgresClient {
    /// `withTransaction`, but the closure's own error comes out as thrown (not wrapped in
    /// `PostgresTransactionError`), so callers can tell a domain error — an `EngineError`, a
    /// `FundingError` — from a database failure. A database failure is thrown as PostgresNIO
    /// reports it.
    ///
    /// Domain modules use it to write their rows and an instance's step in one transaction.
    public func transaction<Result: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> Result {
        do {
            return try await withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError { throw closureError }
            throw error
        }
    }
}

extension PostgresClient {
    /// Runs `body`'s reads in one read-only transaction at one snapshot (REPEATABLE READ), so
    /// a report made of several queries — a fund statement's balances, lines and co-financing —
    /// agrees with itself even while others write.
    public func snapshot<Result: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> Result {
        try await transaction(logger: logger) { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            return try await body(connection)
        }
    }
}
