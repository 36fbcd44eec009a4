import Foundation

/// The PostgreSQL server programs a private cluster needs, all from one installation.
public struct ServerBinaries: Sendable, Equatable {
    /// The folder holding `initdb`, `pg_ctl`, `postgres` and `pg_isready`.
    public var directory: String

    var initdb: String { directory + "/initdb" }
    var pgCtl: String { directory + "/pg_ctl" }
    var pgIsReady: String { directory + "/pg_isready" }

    /// Looks for the server programs: `MERIDIAN_PG_BINDIR` alone when it is set, else
    /// `/usr/lib/postgresql/<majorVersion>/bin` when a cluster of that version exists, else `PATH`,
    /// then `pg_config --bindir`, then the newest `/usr/lib/postgresql/*/bin`.
    /// - Parameter majorVersion: the version of an existing cluster (its `PG_VERSION`): a newer
    ///   server installed beside the one that created it cannot open its files.
    /// - Throws: ``DatabaseError/Code/serverBinariesMissing`` with the package to install.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        majorVersion: String? = nil
    ) throws -> ServerBinaries {
        if let explicit = environment["MERIDIAN_PG_BINDIR"], !explicit.isEmpty {
            // An explicit choice that does not work is an error, not a reason to pick another.
            guard isComplete(explicit) else {
                throw DatabaseError(
                    .serverBinariesMissing,
                    "MERIDIAN_PG_BINDIR is \(explicit), which lacks initdb, pg_ctl, postgres or pg_isready",
                    hint: "point it at a PostgreSQL bin folder (such as /usr/lib/postgresql/15/bin), or install the server (Debian/Ubuntu: `apt-get install postgresql`)"
                )
            }
            return ServerBinaries(directory: explicit)
        }
        for directory in candidateDirectories(environment: environment, majorVersion: majorVersion) where isComplete(directory) {
            return ServerBinaries(directory: directory)
        }
        throw DatabaseError(
            .serverBinariesMissing,
            "no PostgreSQL server programs (initdb, pg_ctl, postgres) were found on PATH, through pg_config or under /usr/lib/postgresql/*/bin",
            hint: "install them (Debian/Ubuntu: `apt-get install postgresql`), set MERIDIAN_PG_BINDIR to their folder, or pass --database-url to use an existing server"
        )
    }

    static func candidateDirectories(environment: [String: String], majorVersion: String? = nil) -> [String] {
        var candidates: [String] = []
        if let majorVersion, !majorVersion.isEmpty, !majorVersion.contains("/") {
            candidates.append("/usr/lib/postgresql/\(majorVersion)/bin")
        }
        for entry in (environment["PATH"] ?? "").split(separator: ":") {
            candidates.append(String(entry))
        }
        if let bindir = pgConfigBindir(environment: environment) {
            candidates.append(bindir)
        }
        candidates.append(contentsOf: installedVersionDirectories())
        return candidates
    }

    private static func isComplete(_ directory: String) -> Bool {
        ["initdb", "pg_ctl", "postgres", "pg_isready"].allSatisfy {
            FileManager.default.isExecutableFile(atPath: directory + "/" + $0)
        }
    }

    private static func pgConfigBindir(environment: [String: String]) -> String? {
        let searchPath = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        guard let pgConfig = searchPath.map({ $0 + "/pg_config" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }),
            let result = try? ProcessRunner(runAsUser: nil).run(pgConfig, ["--bindir"]),
            result.succeeded
        else { return nil }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `/usr/lib/postgresql/<major>/bin`, newest major version first.
    private static func installedVersionDirectories() -> [String] {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions
            .compactMap { Int($0) }
            .sorted(by: >)
            .map { "\(root)/\($0)/bin" }
    }
}
