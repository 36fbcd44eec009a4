import Foundation
import Logging
import MeridianPostgres

#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL cluster for one chaos run, with durability **on** (unlike the shared
/// test cluster, which runs with fsync off): a postmaster killed with SIGKILL must come back
/// with every committed transaction, so what the run finds missing is Meridian's fault.
struct ChaosCluster: Sendable {
    let cluster: EmbeddedCluster
    let logger: Logger

    var settings: ConnectionSettings { cluster.connection }
    var url: String { cluster.connection.url }
    private var dataDirectory: String { cluster.configuration.directory + "/data" }

    /// Creates, starts and migrates a fresh cluster under /tmp (reachable by the server user
    /// when the tests run as root).
    static func create(logger: Logger) async throws -> ChaosCluster {
        let directory = "/tmp/meridian-chaos-\(getpid())-\(UUID().uuidString.prefix(8))"
        let cluster = EmbeddedCluster(
            configuration: .init(
                directory: directory,
                settings: ["fsync": "on", "synchronous_commit": "on", "full_page_writes": "on", "max_connections": "400"]
            ),
            binaries: try ServerBinaries.locate()
        )
        try await cluster.start(logger: logger)
        try await Migrator.bundled().migrate(cluster.connection, logger: logger)
        return ChaosCluster(cluster: cluster, logger: logger)
    }

    /// The running postmaster's process id, from the first line of `postmaster.pid`.
    func postmasterPID() -> pid_t? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.flatMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// SIGKILLs the postmaster (no shutdown, no checkpoint) and waits until it is gone.
    func crash() async throws {
        guard let pid = postmasterPID() else { throw ChaosFailure("the chaos cluster has no postmaster.pid to kill") }
        kill(pid, SIGKILL)
        try await waitUntil("the killed postmaster \(pid) to be gone", within: 30) { !Self.isAlive(pid) }
    }

    /// Starts the server again: crash recovery replays the write-ahead log.
    func restart() async throws {
        try await cluster.start(logger: logger)
    }

    /// Stops the server and deletes the cluster.
    func destroy() {
        try? cluster.destroy(logger: logger)
        try? FileManager.default.removeItem(atPath: cluster.configuration.directory)
    }

    /// Whether `pid` runs (a zombie no longer does).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return errno != ESRCH }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
