import Logging
import PostgresNIO

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
