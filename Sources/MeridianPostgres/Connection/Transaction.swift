import Logging
import PostgresNIO

extension PostgresClient {
    /// A transaction on a leased connection whose `BEGIN`, `COMMIT` and `ROLLBACK` can never
    /// hang on a connection the server closed (``PostgresConnection/guardedTransaction(logger:isolation:_:)``;
    /// PostgresNIO's `withTransaction` sent its `ROLLBACK` on the closed connection and waited
    /// for ever). The closure's own error comes out as thrown, so callers can tell a domain
    /// error — an `EngineError`, a `FundingError` — from a database failure, which is thrown
    /// as PostgresNIO reports it.
    ///
    /// Domain modules use it to write their rows and an instance's step in one transaction.
    public func transaction<Result: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> Result {
        try await withConnection { connection in
            try await connection.guardedTransaction(logger: logger, body)
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
            try await connection.guardedQuery("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            return try await body(connection)
        }
    }
}
