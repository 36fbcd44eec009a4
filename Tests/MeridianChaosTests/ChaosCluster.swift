import Foundation
import Logging
import MeridianPostgres
import Synchronization

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

/// Why a chaos run could not go on (set-up or waiting failed), as opposed to what its checks find.
struct ChaosFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, looking every 100 ms, for at most `seconds`; throws otherwise.
func waitUntil(_ what: String, within seconds: Double, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw ChaosFailure("waited \(Int(seconds)) s in vain for \(what)")
}

/// Runs `body`, abandoning it after `seconds`: a call that hangs while the server is down
/// (seen: a pooled query that never returns after a crash, deaf to cancellation) must not
/// stall the run. The abandoned call is cancelled but not awaited — a structured task group
/// would wait for it for ever — so it may still finish later; the idempotency keys make
/// that harmless, and the checks afterwards would see it if it were not.
func withTimeout<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let once = Once<T>()
    let work = Task<T, any Error> { try await body() }
    return try await withCheckedThrowingContinuation { continuation in
        once.set(continuation)
        let timer = Task {
            try? await Task.sleep(for: .seconds(seconds))
            guard !Task.isCancelled, let waiting = once.take() else { return }
            work.cancel()
            await ChaosHangs.shared.record()
            waiting.resume(throwing: ChaosFailure("a call took longer than \(Int(seconds)) s and was abandoned"))
        }
        Task {
            let result = await work.result
            let waiting = once.take()
            timer.cancel()
            waiting?.resume(with: result)
        }
    }
}

/// A continuation resumed once, by whichever of the call and its timer comes first.
private final class Once<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)
    func set(_ value: CheckedContinuation<T, any Error>) { continuation.withLock { $0 = value } }
    func take() -> CheckedContinuation<T, any Error>? { continuation.withLock { $0.take() } }
}

/// How many calls were abandoned by ``withTimeout(_:_:)`` in this process.
actor ChaosHangs {
    static let shared = ChaosHangs()
    private(set) var count = 0
    func record() { count += 1 }
}
