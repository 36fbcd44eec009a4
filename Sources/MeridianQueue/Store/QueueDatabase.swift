import Logging
import PostgresNIO

/// Something the store can run a query on: a caller's `PostgresConnection` (possibly inside
/// its open transaction, so jobs commit or roll back with the caller's own changes) or a
/// pooled `PostgresClient` (each statement its own transaction).
public protocol QueueDatabase: Sendable {
    /// Runs `query` and returns all its rows (consumed fully, so the connection is free again).
    func queueRows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow]
    /// Runs a prepared statement (parsed and planned once per connection, not per call) and
    /// returns all its rows.
    func queueRows<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws -> [Statement.Row]
}

extension PostgresConnection: QueueDatabase {
    public func queueRows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }

    public func queueRows<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws -> [Statement.Row] {
        var rows: [Statement.Row] = []
        for try await row in try await execute(statement, logger: logger) { rows.append(row) }
        return rows
    }
}

extension PostgresClient: QueueDatabase {
    public func queueRows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }

    public func queueRows<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws -> [Statement.Row] {
        var rows: [Statement.Row] = []
        for try await row in try await execute(statement, logger: logger) { rows.append(row) }
        return rows
    }
}
