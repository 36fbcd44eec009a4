import Foundation
import MeridianTestSupport
import PostgresNIO
import Testing

@testable import MeridianPostgres

@Suite("Migrations against a real PostgreSQL")
struct MigratorTests {
    let first = Migration(version: 1, name: "accounts", sql: """
        CREATE TABLE accounts (id bigint PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0));
        CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql;
        """)
    let second = Migration(version: 2, name: "entries", sql: "CREATE TABLE entries (id bigint PRIMARY KEY);")

    @Test("pending migrations are applied in order and recorded with their checksums; a second run does nothing")
    func appliesInOrder() async throws {
        try await TestDatabase.withFresh(migrated: false) { database in
            let migrator = Migrator(migrations: [second, first])
            let report = try await Migrator(migrations: [first, second]).migrate(database.settings, logger: database.logger)
            #expect(report.applied.map(\.version) == [1, 2])
            let again = try await migrator.migrate(database.settings, logger: database.logger)
            #expect(again.applied.isEmpty)
            #expect(again.alreadyApplied == 2)
            let recorded = try await rows(
                "SELECT version, checksum FROM meridian_schema_migrations ORDER BY version", database
            ) { try $0.decode((Int, String).self) }
            #expect(recorded.map(\.0) == [1, 2])
            #expect(recorded.map(\.1) == [first.checksum, second.checksum])
        }
    }

    @Test("a migration changed after it was applied is refused, not re-run")
    func changedFileIsAnError() async throws {
        try await TestDatabase.withFresh(migrated: false) { database in
            try await Migrator(migrations: [first]).migrate(database.settings, logger: database.logger)
            var edited = first
            edited.sql += "\n-- an innocent-looking edit\n"
            await #expect {
                try await Migrator(migrations: [edited, second]).migrate(database.settings, logger: database.logger)
            } throws: { error in
                (error as? DatabaseError)?.code == .migrationConflict
                    && (error as? DatabaseError)?.message.contains("0001_accounts.sql was changed") == true
            }
            // Nothing after the conflict was applied.
            let tables = try await rows("SELECT count(*) FROM pg_tables WHERE tablename = 'entries'", database) { try $0.decode(Int.self) }
            #expect(tables == [0])
        }
    }

    @Test("a failing migration is rolled back whole and leaves no record")
    func failureRollsBack() async throws {
        try await TestDatabase.withFresh(migrated: false) { database in
            let broken = Migration(version: 2, name: "broken", sql: "CREATE TABLE half (x int);\nSELECT * FROM no_such_table;")
            await #expect {
                try await Migrator(migrations: [first, broken]).migrate(database.settings, logger: database.logger)
            } throws: { error in
                (error as? DatabaseError)?.code == .migrationFailed
                    && (error as? DatabaseError)?.message.contains("no_such_table") == true
            }
            let versions = try await rows("SELECT version FROM meridian_schema_migrations", database) { try $0.decode(Int.self) }
            #expect(versions == [1])
            let half = try await rows("SELECT count(*) FROM pg_tables WHERE tablename = 'half'", database) { try $0.decode(Int.self) }
            #expect(half == [0])
        }
    }

    @Test("asking what is pending writes nothing, even to a database never migrated")
    func pendingIsReadOnly() async throws {
        try await TestDatabase.withFresh(migrated: false) { database in
            let pending = try await Migrator(migrations: [first, second]).pending(database.settings, logger: database.logger)
            #expect(pending.map(\.version) == [1, 2])
            let tables = try await rows("SELECT count(*) FROM pg_tables WHERE tablename = 'meridian_schema_migrations'", database) { try $0.decode(Int.self) }
            #expect(tables == [0])
        }
    }

    @Test("a database migrated by a newer build is refused")
    func unknownAppliedMigration() async throws {
        try await TestDatabase.withFresh(migrated: false) { database in
            try await Migrator(migrations: [first, second]).migrate(database.settings, logger: database.logger)
            await #expect {
                try await Migrator(migrations: [first]).pending(database.settings, logger: database.logger)
            } throws: { error in
                (error as? DatabaseError)?.code == .migrationConflict
            }
        }
    }

    @Test("eight migrators at once apply each migration exactly once")
    func concurrentMigrators() async throws {
        try await TestDatabase.withFresh(migrated: false) { database in
            let migrator = Migrator(migrations: [first, second])
            let appliedCounts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await migrator.migrate(database.settings, logger: database.logger).applied.count }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(appliedCounts.reduce(0, +) == 2)
            let versions = try await rows("SELECT version FROM meridian_schema_migrations ORDER BY version", database) { try $0.decode(Int.self) }
            #expect(versions == [1, 2])
        }
    }

    @Test("the bundled migrations load, are numbered uniquely and apply to an empty database")
    func bundledMigrations() async throws {
        let bundled = try Migrator.bundled()
        #expect(Set(bundled.migrations.map(\.version)).count == bundled.migrations.count)
        try await TestDatabase.withFresh(migrated: false) { database in
            let report = try await bundled.migrate(database.settings, logger: database.logger)
            #expect(report.applied.count == bundled.migrations.count)
            #expect(try await bundled.pending(database.settings, logger: database.logger).isEmpty)
        }
    }

    @Test("misnamed and duplicate-numbered files are refused when loading")
    func loadingChecksNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "SELECT 1;".write(to: folder.appendingPathComponent("0001_a.sql"), atomically: true, encoding: .utf8)
        try "SELECT 1;".write(to: folder.appendingPathComponent("0001_b.sql"), atomically: true, encoding: .utf8)
        #expect(throws: DatabaseError.self) { try Migration.load(from: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("0001_b.sql"))
        try "SELECT 1;".write(to: folder.appendingPathComponent("first.sql"), atomically: true, encoding: .utf8)
        #expect(throws: DatabaseError.self) { try Migration.load(from: folder) }
    }

    private func rows<Value: Sendable>(
        _ query: PostgresQuery,
        _ database: TestDatabase,
        decode: @escaping @Sendable (PostgresRow) throws -> Value
    ) async throws -> [Value] {
        try await withPostgresConnection(database.settings, logger: database.logger) { connection in
            try await connection.query(query, logger: database.logger).collect().map(decode)
        }
    }
}
