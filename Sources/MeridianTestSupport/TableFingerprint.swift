import Logging
import MeridianPostgres
import PostgresNIO

/// A hash of every row of every table in the `public` schema, read in one snapshot: the
/// check behind "a refusal changes nothing". Taken before and after a command, two equal
/// fingerprints mean no table gained, lost or changed a row — plans, grants, the ledger,
/// notifications and jobs included, and any table a later migration adds.
///
/// ```swift
/// let before = try await TableFingerprint.take(database)
/// … run a command that must be refused …
/// #expect(try await TableFingerprint.take(database).changes(since: before) == [])
/// ```
public struct TableFingerprint: Sendable, Equatable, CustomStringConvertible {
    /// Per table: its row count and the MD5 of its rows' text, sorted.
    public let tables: [String: String]

    /// Columns that record that someone came by, not what was done: a token's time of last
    /// use changes when a refused command authenticates, and is left out by default.
    public static let bookkeeping: Set<String> = ["user_tokens.last_used_at"]

    /// The fingerprint of the test database `database`.
    public static func take(_ database: TestDatabase, ignoring: Set<String> = bookkeeping) async throws -> TableFingerprint {
        try await take(database.settings, logger: database.logger, ignoring: ignoring)
    }

    /// The fingerprint of the database at `settings`, leaving out the `table.column`s of `ignoring`.
    public static func take(_ settings: ConnectionSettings, logger: Logger, ignoring: Set<String> = bookkeeping) async throws -> TableFingerprint {
        try await withPostgresClient(settings, logger: logger, watchdog: false) { client in
            try await client.snapshot(logger: logger) { connection in
                let names = try await connection.query(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", logger: logger
                ).collect().map { try $0.decode(String.self) }
                var tables: [String: String] = [:]
                for name in names {
                    let table = "public." + ConnectionSettings.quoteIdentifier(name)
                    let ignored = ignoring.filter { $0.hasPrefix(name + ".") }.map { String($0.dropFirst(name.count + 1)) }.sorted()
                    let rows = try await connection.query("""
                        SELECT count(*)::text || ':' || coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '-')
                        FROM (SELECT (to_jsonb(t) - \(ignored)::text[])::text AS r FROM \(unescaped: table) t) rows
                        """, logger: logger).collect()
                    tables[name] = try rows[0].decode(String.self)
                }
                return TableFingerprint(tables: tables)
            }
        }
    }

    /// The tables whose rows differ between `earlier` and this fingerprint (added or dropped
    /// tables included), sorted; empty when nothing changed.
    public func changes(since earlier: TableFingerprint) -> [String] {
        Set(tables.keys).union(earlier.tables.keys).filter { tables[$0] != earlier.tables[$0] }.sorted()
    }

    public var description: String {
        tables.keys.sorted().map { "\($0)=\(tables[$0]!)" }.joined(separator: " ")
    }
}
