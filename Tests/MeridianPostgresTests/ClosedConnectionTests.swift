import Foundation
import Logging
import MeridianTestSupport
import PostgresNIO
import Testing

@testable import MeridianPostgres

/// A statement on a connection the server has closed must fail, never wait for ever: the
/// cause of the hangs of issue 16 (see `ClosedConnectionGuard`). Each session here is ended by
/// the server (`pg_terminate_backend`), as a restart or a crash ends it.
@Suite("statements on a connection the server closed")
struct ClosedConnectionTests {
    @Test("PostgresNIO's own query on a closed connection never answers (why the guard exists; fails once PostgresNIO fixes it)")
    func plainQueryHangs() async throws {
        try await TestDatabase.withFresh { database in
            let connection = try await openTerminated(database)
            await #expect(throws: DeadlinePassed.self) {
                try await withDeadline(3) { try await connection.query("SELECT 1", logger: database.logger) }
            }
        }
    }

    @Test("a guarded statement on a closed connection fails at once, as the database lost")
    func guardedQueryFails() async throws {
        try await TestDatabase.withFresh { database in
            let connection = try await openTerminated(database)
            await #expect {
                try await withDeadline(20) { try await connection.guardedQuery("SELECT 1", logger: database.logger) }
            } throws: { error in
                (error as? DatabaseError)?.code == .timedOut && DatabaseUnavailable.isUnavailable(error)
            }
        }
    }

    @Test("a guarded statement whose session the server ends while it runs fails with the server's reason")
    func guardedQueryEndedMidway() async throws {
        try await TestDatabase.withFresh { database in
            try await withPostgresConnection(database.settings, logger: database.logger) { connection in
                await #expect {
                    try await withDeadline(20) {
                        try await connection.guardedQuery("SELECT pg_terminate_backend(pg_backend_pid())", logger: database.logger).collect()
                    }
                } throws: { error in
                    DatabaseUnavailable.isUnavailable(error)
                }
                return ()
            }
        }
    }

    @Test("a transaction whose session the server ended fails with its body's error, and does not wait for ever in ROLLBACK")
    func transactionOnEndedSession() async throws {
        try await TestDatabase.withFresh { database in
            let logger = database.logger
            try await withPostgresClient(database.settings, logger: logger, watchdog: false) { client in
                await #expect(throws: SessionEnded.self) {
                    try await withDeadline(20) {
                        try await client.transaction(logger: logger) { connection in
                            try await connection.query("CREATE TABLE doomed (x int)", logger: logger)
                            // The server ends the session; the body notices and gives up.
                            try await terminate(connection, database)
                            throw SessionEnded()
                        }
                    }
                }
                // The pool goes on with a new connection; the transaction left nothing behind.
                let rows = try await withDeadline(20) {
                    try await client.query("SELECT to_regclass('doomed') IS NULL", logger: logger).collect()
                }
                #expect(try rows.first?.decode(Bool.self) == true)
            }
        }
    }

    private struct SessionEnded: Error {}

    @Test("the migrator whose session ends mid-way fails with a reason and leaves the next run to finish")
    func migratorOnEndedSession() async throws {
        try await TestDatabase.withFresh(migrated: false) { database in
            let migrator = Migrator(migrations: [
                Migration(version: 1, name: "first", sql: "CREATE TABLE first_table (x int);"),
                Migration(version: 2, name: "ended", sql: "SELECT pg_terminate_backend(pg_backend_pid());"),
            ])
            await #expect {
                try await withDeadline(20) { try await migrator.migrate(database.settings, logger: database.logger) }
            } throws: { error in
                !(error is DeadlinePassed)
            }
            let fixed = Migrator(migrations: [
                migrator.migrations[0],
                Migration(version: 2, name: "ended", sql: "CREATE TABLE second_table (x int);"),
            ])
            let report = try await withDeadline(20) { try await fixed.migrate(database.settings, logger: database.logger) }
            #expect(report.applied.map(\.version) == [2])
        }
    }

    // MARK: Helpers

    /// A connection whose session the server has ended, and which has finished closing.
    private func openTerminated(_ database: TestDatabase) async throws -> PostgresConnection {
        let configuration = try database.settings.connectionConfiguration
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 7, logger: database.logger)
        try await terminate(connection, database)
        return connection
    }

    /// Ends `connection`'s session from another one and waits until the connection has closed.
    private func terminate(_ connection: PostgresConnection, _ database: TestDatabase) async throws {
        let pid = try await connection.query("SELECT pg_backend_pid()", logger: database.logger).collect()[0].decode(Int32.self)
        try await withPostgresConnection(database.settings, logger: database.logger) { other in
            try await other.query("SELECT pg_terminate_backend(\(pid))", logger: database.logger)
        }
        try await withDeadline(20) { try await connection.closeFuture.get() }
        #expect(connection.isClosed)
    }
}
