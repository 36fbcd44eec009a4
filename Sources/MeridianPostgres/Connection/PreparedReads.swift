import Logging
import PostgresNIO

/// The rows of a hot read, run as a prepared statement, with the plain statement as fallback.
///
/// Preparing spares PostgreSQL a parse and a plan on every run, which for the API's most frequent
/// reads cost more than running them. But PostgresNIO prepares a statement once per connection
/// and remembers a failed preparation for as long as the connection lives: every later run there
/// fails with that first error. A preparation can fail for a passing reason (a `statement_timeout`
/// while a migration holds a table's lock, say), so when the prepared run fails the same SQL with
/// the same values is run once more unprepared; if that fails too, the first error is thrown.
/// Only for statements that read: a statement that writes could run twice.
public enum PreparedReads {
    /// Every row of `statement` on `connection`.
    public static func rows<Statement: PostgresPreparedStatement>(
        of statement: Statement, on connection: PostgresConnection, logger: Logger
    ) async throws -> [Statement.Row] {
        do {
            var rows: [Statement.Row] = []
            for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
            return rows
        } catch {
            guard let rows = try? await connection.query(try plain(statement), logger: logger).collect() else { throw error }
            return try rows.map(statement.decodeRow)
        }
    }

    /// Every row of `statement` on one of `client`'s connections (the fallback on the same one).
    public static func rows<Statement: PostgresPreparedStatement>(
        of statement: Statement, on client: PostgresClient, logger: Logger
    ) async throws -> [Statement.Row] {
        try await client.withConnection { connection in try await rows(of: statement, on: connection, logger: logger) }
    }

    /// The prepared statement's constant SQL with its bound values, as a plain statement.
    private static func plain<Statement: PostgresPreparedStatement>(_ statement: Statement) throws -> PostgresQuery {
        PostgresQuery(unsafeSQL: Statement.sql, binds: try statement.makeBindings())
    }
}
