import Foundation
import Logging
import MeridianSchemas
import PostgresNIO

/// Brings a database's schema up to date with the numbered SQL files of `Schemas/migrations/`.
///
/// Each migration runs in its own transaction together with the row that records it (number,
/// name, SHA-256 checksum), so a crash leaves it either wholly applied or not at all. A
/// session-level advisory lock makes concurrent migrators take turns; the second one finds
/// the work done. An applied file that has since changed is an error, never a silent re-run.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    /// The lock key (`'meridian.migrations'` as a number) shared by every Meridian process.
    static let advisoryLockKey: Int64 = 0x6D65_7269_6469_616E

    public init(migrations: [Migration]) {
        self.migrations = migrations
    }

    /// The migrations that ship in `Schemas/migrations/`.
    public static func bundled() throws -> Migrator {
        Migrator(migrations: try Migration.load(from: SchemaFiles.migrationsDirectory))
    }

    /// What `migrate` found and did.
    public struct Report: Sendable {
        /// Migrations applied by this call.
        public var applied: [Migration]
        /// How many were already in place.
        public var alreadyApplied: Int
    }

    /// Applies every pending migration, in order.
    @discardableResult
    public func migrate(_ settings: ConnectionSettings, logger: Logger) async throws -> Report {
        try await withPostgresConnection(settings, logger: logger) { connection in
            try await connection.guardedQuery("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
            do {
                let report = try await migrateLocked(connection, logger: logger)
                try await connection.guardedQuery("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                return report
            } catch {
                _ = try? await connection.guardedQuery("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                throw error
            }
        }
    }

    /// The migrations not yet applied, without writing anything; throws if an applied one
    /// changed or is unknown here.
    public func pending(_ settings: ConnectionSettings, logger: Logger) async throws -> [Migration] {
        try await withPostgresConnection(settings, logger: logger) { connection in
            // Reading only: a database never migrated has no table yet, so all are pending.
            let table = try await connection.guardedQuery(
                "SELECT to_regclass('meridian_schema_migrations') IS NOT NULL", logger: logger
            ).collect()
            guard try table.first?.decode(Bool.self) == true else { return migrations }
            return try await pendingMigrations(connection, logger: logger)
        }
    }

    private func migrateLocked(_ connection: PostgresConnection, logger: Logger) async throws -> Report {
        try await ensureTable(connection, logger: logger)
        let pending = try await pendingMigrations(connection, logger: logger)
        for migration in pending {
            logger.info("applying migration", metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"])
            do {
                try await connection.guardedTransaction(logger: logger) { connection in
                    for statement in SQLScript.statements(in: migration.sql) {
                        try await connection.guardedQuery(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.guardedQuery(
                        """
                        INSERT INTO meridian_schema_migrations (version, name, checksum)
                        VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                        """,
                        logger: logger
                    )
                }
            } catch {
                throw DatabaseError(
                    .migrationFailed,
                    "migration \(migration.fileName) failed and was rolled back: \(Self.describe(error))",
                    hint: "fix the SQL of that file (it was never applied) and run `meridian db migrate` again"
                )
            }
        }
        return Report(applied: pending, alreadyApplied: migrations.count - pending.count)
    }

    private func ensureTable(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.guardedQuery(
            """
            CREATE TABLE IF NOT EXISTS meridian_schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
    }

    private func pendingMigrations(_ connection: PostgresConnection, logger: Logger) async throws -> [Migration] {
        var applied: [Int: (name: String, checksum: String)] = [:]
        let rows = try await connection.guardedQuery("SELECT version, name, checksum FROM meridian_schema_migrations", logger: logger)
        for try await (version, name, checksum) in rows.decode((Int, String, String).self) {
            applied[version] = (name, checksum)
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        if let unknown = applied.keys.sorted().first(where: { known[$0] == nil }) {
            throw DatabaseError(
                .migrationConflict,
                "the database has migration \(unknown) (\(applied[unknown]!.name)) that this build of meridian does not know",
                hint: "run a newer meridian against this database"
            )
        }
        for migration in migrations {
            guard let record = applied[migration.version] else { continue }
            guard record.checksum == migration.checksum else {
                throw DatabaseError(
                    .migrationConflict,
                    "migration \(migration.fileName) was changed after it was applied (checksum \(record.checksum.prefix(12))… in the database, \(migration.checksum.prefix(12))… on disk)",
                    hint: "restore the applied file and put the change in a new, higher-numbered migration"
                )
            }
        }
        return migrations.filter { applied[$0.version] == nil }
    }

    public static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError, let message = error.serverInfo?[.message] {
            return message
        }
        return String(reflecting: error)
    }
}
