import Crypto
import Foundation

/// One numbered SQL file of `Schemas/migrations/`, such as `0002_queue.sql`.
public struct Migration: Sendable, Equatable {
    /// The number that orders migrations; unique.
    public var version: Int
    /// The file name without number and extension, for people.
    public var name: String
    public var sql: String

    /// The file it came from, as `0002_queue.sql`.
    public var fileName: String {
        let number = String(version)
        return String(repeating: "0", count: max(0, 4 - number.count)) + number + "_" + name + ".sql"
    }

    /// SHA-256 of the file's bytes, hex: an applied migration whose file changed is refused.
    public var checksum: String {
        SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Reads every `NNNN_name.sql` of `directory`, ordered by number.
    /// - Throws: when a file is misnamed or two share a number.
    public static func load(from directory: URL) throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        var migrations: [Migration] = []
        for fileName in names {
            let stem = fileName.dropLast(".sql".count)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version > 0 else {
                throw DatabaseError(
                    .migrationConflict,
                    "the migration file \(fileName) is not named NNNN_name.sql",
                    hint: "rename it with a positive number first, such as 0003_add_index.sql"
                )
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(fileName), encoding: .utf8)
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (earlier, later) in zip(migrations, migrations.dropFirst()) where earlier.version == later.version {
            throw DatabaseError(
                .migrationConflict,
                "two migration files share the number \(earlier.version): \(earlier.name) and \(later.name)",
                hint: "give the newer one the next free number"
            )
        }
        return migrations
    }
}
