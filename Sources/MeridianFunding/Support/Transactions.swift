import Logging
import PostgresNIO

extension PostgresClient {
    /// `withTransaction`, with the closure's own error thrown as it is (not wrapped in
    /// `PostgresTransactionError`), so a `FundingError` reaches the caller intact.
    func fundingTransaction<Result: Sendable>(
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

/// Something that runs a query and collects its rows: a client, or a connection inside a transaction.
protocol PostgresQueryRunner: Sendable {
    func collectRows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow]
}

extension PostgresClient: PostgresQueryRunner {
    func collectRows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}

extension PostgresConnection: PostgresQueryRunner {
    func collectRows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}
