import Foundation
import Logging
import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL cluster in a folder of Meridian's own: the default database for a
/// laptop, a demo and the tests.
///
/// The folder holds `data/` (the cluster), `run/` (its Unix socket, the only way in: the
/// server listens on no TCP port), `server.log` and `cluster.lock`. Every operation takes the
/// lock first, so concurrent `meridian db start` calls wait for each other. A cluster whose
/// creation was interrupted (no `data/meridian-ready` marker) is wiped and created again: it
/// never held data. A server left running by a killed process is found and reused; the lock
/// files of a crashed server (whose process is gone, a zombie, or its id now another
/// program's) are removed before the server is started again.
public struct EmbeddedCluster: Sendable {
    /// Where the cluster lives and how it runs.
    public struct Configuration: Sendable {
        /// The cluster's folder.
        public var directory: String
        /// The unprivileged user that owns and runs the server, or `nil` for the current user.
        /// PostgreSQL refuses to run as root, so as root this defaults to `postgres`.
        public var serverUser: String?
        /// Extra `postgresql.conf` settings, written when the cluster is created.
        public var settings: [String: String]
        /// The superuser role and the database Meridian uses.
        public var role: String
        public var database: String

        public init(
            directory: String,
            serverUser: String? = EmbeddedCluster.defaultServerUser(),
            settings: [String: String] = [:],
            role: String = "meridian",
            database: String = "meridian"
        ) {
            self.directory = directory
            self.serverUser = serverUser
            self.settings = settings
            self.role = role
            self.database = database
        }

        /// The per-user default: `MERIDIAN_DATA_DIR`; as root `/var/lib/meridian/postgres`
        /// (the server user must be able to reach it, which it cannot under `/root`);
        /// otherwise `$XDG_DATA_HOME/meridian/postgres` or `~/.local/share/meridian/postgres`.
        public static func `default`(environment: [String: String] = ProcessInfo.processInfo.environment) -> Configuration {
            Configuration(directory: defaultDirectory(environment: environment))
        }

        static func defaultDirectory(environment: [String: String]) -> String {
            if let explicit = environment["MERIDIAN_DATA_DIR"], !explicit.isEmpty { return explicit }
            if geteuid() == 0 { return "/var/lib/meridian/postgres" }
            if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/meridian/postgres" }
            let home = environment["HOME"] ?? NSHomeDirectory()
            return home + "/.local/share/meridian/postgres"
        }
    }

    /// Whether the cluster exists and runs.
    public enum Status: Sendable, Equatable {
        case notCreated
        case stopped
        case running
    }

    public let configuration: Configuration
    let binaries: ServerBinaries

    /// The Unix socket port; the server opens no TCP port, so a fixed number cannot clash.
    static let socketPort = 5432

    public init(configuration: Configuration, binaries: ServerBinaries) {
        var configuration = configuration
        configuration.directory = URL(fileURLWithPath: configuration.directory).standardizedFileURL.path
        self.configuration = configuration
        self.binaries = binaries
    }

    /// The major version of the cluster in `directory` (its `data/PG_VERSION`), if one exists.
    public static func majorVersion(ofClusterIn directory: String) -> String? {
        (try? String(contentsOfFile: directory + "/data/PG_VERSION", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `postgres` when running as root (PostgreSQL refuses root), otherwise `nil`.
    public static func defaultServerUser() -> String? {
        if let explicit = ProcessInfo.processInfo.environment["MERIDIAN_SERVER_USER"], !explicit.isEmpty {
            return explicit
        }
        return geteuid() == 0 ? "postgres" : nil
    }

    var dataDirectory: String { configuration.directory + "/data" }
    /// The folder holding the server's Unix socket.
    public var socketDirectory: String { configuration.directory + "/run" }
    var logFile: String { configuration.directory + "/server.log" }
    var lockFile: String { configuration.directory + "/cluster.lock" }
    var readyMarker: String { dataDirectory + "/meridian-ready" }
    private var runner: ProcessRunner { ProcessRunner(runAsUser: configuration.serverUser) }

    /// How to connect to the cluster's Meridian database.
    public var connection: ConnectionSettings {
        ConnectionSettings(
            endpoint: .unixSocket(directory: socketDirectory, port: Self.socketPort),
            username: configuration.role,
            password: nil,
            database: configuration.database,
            tls: .disable
        )
    }

    // MARK: Operations

    /// The cluster's state, read without starting or changing anything.
    public func status() throws -> Status {
        guard FileManager.default.fileExists(atPath: readyMarker) else { return .notCreated }
        return serverIsAlive() ? .running : .stopped
    }

    /// Creates the cluster if needed, starts it if it is not running, waits until it accepts
    /// connections and makes sure the Meridian database exists.
    public func start(logger: Logger) async throws {
        try prepareDirectory()
        try await FileLock.withExclusiveLockAsync(at: lockFile) {
            if !FileManager.default.fileExists(atPath: readyMarker) {
                try create(logger: logger)
            }
            try startServerIfNeeded(logger: logger)
            try waitUntilReady(logger: logger)
            try await ensureDatabase(logger: logger)
        }
    }

    /// Stops the server (fast shutdown: sessions are disconnected, nothing is lost).
    public func stop(logger: Logger) throws {
        guard FileManager.default.fileExists(atPath: configuration.directory) else { return }
        try FileLock.withExclusiveLock(at: lockFile) {
            try stopServer(mode: "fast", logger: logger)
        }
    }

    /// Stops the server and deletes the whole cluster, data included.
    public func destroy(logger: Logger) throws {
        guard FileManager.default.fileExists(atPath: configuration.directory) else { return }
        try FileLock.withExclusiveLock(at: lockFile) {
            try stopServer(mode: "immediate", logger: logger)
            try removeContents(of: configuration.directory, keeping: ["cluster.lock"])
        }
    }

    // MARK: Steps

    /// Creates the cluster in a scratch folder and renames it into place only when complete,
    /// so `data/` exists only whole. An `initdb` orphaned by a killed process keeps writing
    /// into its own scratch folder, which is removed here the next time.
    private func create(logger: Logger) throws {
        try stopServer(mode: "immediate", logger: logger)
        try removeContents(of: configuration.directory, keeping: ["cluster.lock"])
        let scratch = configuration.directory + "/data.partial-\(getpid())"
        try makeDirectory(scratch)
        try makeDirectory(socketDirectory)
        logger.info("creating the private PostgreSQL cluster", metadata: ["cluster.directory": "\(configuration.directory)"])
        let result = try runner.run(binaries.initdb, [
            "-D", scratch, "-U", configuration.role, "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions",
        ])
        guard result.succeeded else {
            throw DatabaseError(
                .clusterFailed,
                "initdb failed in \(scratch): \(Self.lastLines(result.output))",
                hint: "check that the folder is writable by \(configuration.serverUser ?? "the current user"), or choose another with --data-dir"
            )
        }
        try appendSettings(to: scratch)
        let marker = scratch + "/meridian-ready"
        try Data().write(to: URL(fileURLWithPath: marker))
        try chownToServerUser(marker)
        try FileManager.default.moveItem(atPath: scratch, toPath: dataDirectory)
    }

    private func appendSettings(to dataDirectory: String) throws {
        var settings = [
            "listen_addresses": "''",
            "unix_socket_directories": "'\(socketDirectory)'",
            "unix_socket_permissions": "0700",
            "port": "\(Self.socketPort)",
            "max_connections": "200",
        ]
        settings.merge(configuration.settings) { _, custom in custom }
        let lines = settings.keys.sorted().map { "\($0) = \(settings[$0]!)" }
        let text = "\n# Meridian's private cluster\n" + lines.joined(separator: "\n") + "\n"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/postgresql.conf"))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    private func startServerIfNeeded(logger: Logger) throws {
        if serverIsAlive() { return }
        clearStaleLockFiles()
        logger.info("starting the private PostgreSQL server", metadata: ["cluster.directory": "\(configuration.directory)"])
        // The backends of a crashed server notice its death within a moment and release its
        // shared memory; until then a new server refuses to start, so try a few times. A
        // `pg_ctl start` left running by a killed `meridian` may start the server meanwhile:
        // ours then fails ("another server might be running"), and the server it started is
        // the one to wait for.
        var attempt = 0
        while true {
            attempt += 1
            let result = try runner.run(binaries.pgCtl, ["start", "-D", dataDirectory, "-l", logFile, "-w", "-t", "120", "-s"])
            if result.succeeded || serverIsAlive() { return }
            guard attempt < 5 else {
                throw DatabaseError(
                    .clusterFailed,
                    "the private PostgreSQL server did not start: \(Self.lastLines(result.output)) (log: \(logFile))",
                    hint: "read the log; `meridian db reset --yes` re-creates the cluster from nothing"
                )
            }
            Thread.sleep(forTimeInterval: 1)
            if serverIsAlive() { return }
        }
    }

    /// Whether the server runs but its socket file is gone (a cleaner of temporary folders
    /// removed it): nothing can connect to it until it is restarted.
    public var socketIsMissing: Bool {
        serverIsAlive() && !FileManager.default.fileExists(atPath: socketDirectory + "/.s.PGSQL.\(Self.socketPort)")
    }

    /// What to tell a person when ``socketIsMissing``.
    public func socketGone() -> DatabaseError {
        DatabaseError(.clusterFailed, "the private PostgreSQL server (pid \(serverPID().map(String.init) ?? "?")) runs but its socket \(socketDirectory)/.s.PGSQL.\(Self.socketPort) is gone, so nothing can connect to it",
                      hint: "restart it: `meridian db stop` then `meridian db start` (a cleaner of temporary folders may have removed the socket)")
    }

    /// Waits for the server to accept connections. A server that was shutting down when the
    /// command began (`meridian db stop` running beside it) is started again once it is gone,
    /// instead of being waited for until the deadline.
    private func waitUntilReady(logger: Logger) throws {
        let deadline = Date().addingTimeInterval(120)
        let socket = socketDirectory + "/.s.PGSQL.\(Self.socketPort)"
        var socketMissingSince: Date?
        while true {
            let result = try runner.run(binaries.pgIsReady, [
                "-q", "-h", socketDirectory, "-p", "\(Self.socketPort)", "-d", "postgres", "-U", configuration.role,
            ])
            if result.succeeded { return }
            // A running server whose socket file was deleted (a cleaner of temporary folders)
            // never accepts connections again; waiting would not help, restarting does.
            if serverIsAlive(), !FileManager.default.fileExists(atPath: socket) {
                let since = socketMissingSince ?? Date()
                socketMissingSince = since
                if Date().timeIntervalSince(since) > 3 { throw socketGone() }
            } else {
                socketMissingSince = nil
            }
            if !serverIsAlive() {
                logger.info("the private PostgreSQL server went away while starting; starting it again")
                try startServerIfNeeded(logger: logger)
            }
            guard Date() < deadline else {
                throw DatabaseError(.clusterFailed, "the private PostgreSQL server does not accept connections (log: \(logFile))")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    private func ensureDatabase(logger: Logger) async throws {
        var maintenance = connection
        maintenance.database = "postgres"
        try await withPostgresConnection(maintenance, logger: logger) { connection in
            let existing = try await connection.guardedQuery(
                "SELECT 1 FROM pg_database WHERE datname = \(configuration.database)", logger: logger
            ).collect()
            guard existing.isEmpty else { return }
            do {
                try await connection.guardedQuery(
                    "CREATE DATABASE \(unescaped: ConnectionSettings.quoteIdentifier(configuration.database))", logger: logger
                )
            } catch let error as PSQLError {
                // A killed `meridian` leaves its CREATE DATABASE running on the server; when it
                // commits first, ours finds the name taken — and the database is there.
                let sqlState = error.serverInfo?[.sqlState]
                guard sqlState == "42P04" || sqlState == "23505" else { throw error }
            }
        }
    }

    private func stopServer(mode: String, logger: Logger) throws {
        guard serverIsAlive() else { return }
        logger.info("stopping the private PostgreSQL server", metadata: ["cluster.directory": "\(configuration.directory)"])
        let result = try runner.run(binaries.pgCtl, ["stop", "-D", dataDirectory, "-m", mode, "-w", "-t", "60", "-s"])
        guard result.succeeded else {
            throw DatabaseError(.clusterFailed, "the private PostgreSQL server did not stop: \(Self.lastLines(result.output))")
        }
    }

    static func lastLines(_ text: String, count: Int = 3) -> String {
        text.split(separator: "\n").suffix(count).joined(separator: " / ")
    }
}
