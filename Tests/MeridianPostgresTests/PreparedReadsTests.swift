import Foundation
import Logging
import MeridianPostgres
import MeridianTestSupport
import PostgresNIO
import Testing

/// PostgresNIO remembers a failed preparation for the life of the connection; ``PreparedReads``
/// runs the statement unprepared then, so a passing failure does not stick to the connection.
@Suite("prepared reads")
struct PreparedReadsTests {
    /// Reads a table that a test creates only after the first attempt.
    struct LateTable: PostgresPreparedStatement {
        static let sql = "SELECT label FROM prepared_reads_late WHERE id = $1"
        typealias Row = String
        var id: Int64

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> String { try row.decode(String.self) }
    }

    @Test("a read whose preparation failed on a connection answers there once its cause is gone")
    func failedPreparationDoesNotStick() async throws {
        try await TestDatabase.withFresh { database in
            try await withPostgresConnection(database.settings, logger: database.logger) { connection in
                let logger = database.logger
                await #expect(throws: PSQLError.self) { _ = try await PreparedReads.rows(of: LateTable(id: 1), on: connection, logger: logger) }
                try await connection.query("CREATE TABLE prepared_reads_late (id int8 PRIMARY KEY, label text NOT NULL)", logger: logger)
                try await connection.query("INSERT INTO prepared_reads_late VALUES (1, 'one'), (2, 'two')", logger: logger)
                // PostgresNIO alone still fails here, with the first error: the reason for the fallback.
                await #expect(throws: PSQLError.self) {
                    for try await _ in try await connection.execute(LateTable(id: 1), logger: logger) {}
                }
                #expect(try await PreparedReads.rows(of: LateTable(id: 1), on: connection, logger: logger) == ["one"])
                #expect(try await PreparedReads.rows(of: LateTable(id: 3), on: connection, logger: logger).isEmpty)
            }
            try await withPostgresConnection(database.settings, logger: database.logger) { connection in
                // A fresh connection prepares it and runs it prepared.
                #expect(try await PreparedReads.rows(of: LateTable(id: 2), on: connection, logger: database.logger) == ["two"])
                for try await label in try await connection.execute(LateTable(id: 2), logger: database.logger) { #expect(label == "two") }
            }
        }
    }
}
