import Foundation
import Logging
import PostgresNIO

/// Watches the server while a command runs (``withPostgresClient(_:logger:watchdog:whenStuck:_:)``):
/// every few seconds it connects on a connection of its own and reads when the server started.
/// It reports the database lost when a probe fails (the server is down or does not answer
/// within the connect timeout) or when the server was started again since the command began
/// (a restart between two probes: every connection of the command's pool was ended).
struct Watchdog: Sendable {
    /// How often the server is probed while a command runs.
    static let probeInterval: Duration = .seconds(3)

    let settings: ConnectionSettings
    let logger: Logger

    /// What the watchdog saw when it gave up.
    struct Loss: Sendable {
        /// What to tell the person.
        var reason: String
        /// The server could not be reached (as opposed to: it was restarted and answers again).
        var unreachable: Bool
    }

    /// When the server was started (`pg_postmaster_start_time()`), read on a connection of
    /// its own; the connection and the read together take at most the connect timeout.
    func serverStart() async throws -> String {
        try await withPostgresConnection(settings, logger: logger) { connection in
            // A server that takes the query and never answers (stopped with SIGSTOP) must not
            // hold the watchdog: closing the connection ends the read (see ClosedConnectionGuard).
            let limit = settings.connectTimeout
            let closer = Task {
                guard (try? await Task.sleep(for: limit)) != nil else { return }
                _ = try? await connection.close().get()
            }
            defer { closer.cancel() }
            let rows = try await connection.guardedQuery("SELECT pg_postmaster_start_time()::text", logger: logger).collect()
            return try rows.first?.decode(String.self) ?? ""
        }
    }

    /// Probes every ``probeInterval`` until the database is lost (returns what was seen) or
    /// the task is cancelled (returns `nil`).
    /// - Parameter started: the server's start time when the command began.
    func waitForLoss(serverStartedAt started: String) async -> Loss? {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.probeInterval)
            if Task.isCancelled { return nil }
            do {
                let now = try await serverStart()
                if now != started {
                    return Loss(reason: "the server was restarted (it had started at \(started), now at \(now))", unreachable: false)
                }
            } catch {
                if Task.isCancelled { return nil }
                return Loss(reason: (error as? DatabaseError)?.message ?? "\(error)", unreachable: true)
            }
        }
        return nil
    }
}

/// What the watchdog of ``withPostgresClient(_:logger:watchdog:whenStuck:_:)`` saw, once it gave up.
actor LostDatabase {
    private(set) var reason: String?

    func record(_ loss: Watchdog.Loss) {
        reason = loss.reason
    }
}

/// Cancels the task that runs a client's body from the watchdog, and never after the body
/// has finished (the task outlives the body, so the unsafe reference is valid until then).
final class BodyCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var task: UnsafeCurrentTask?

    init(_ task: UnsafeCurrentTask?) { self.task = task }

    func cancel() { lock.withLock { task?.cancel() } }

    func finish() { lock.withLock { task = nil } }
}

/// The error a command ends with when the watchdog found the database gone while it ran.
func lostDatabase(_ settings: ConnectionSettings, _ reason: String) -> DatabaseError {
    DatabaseError(
        .timedOut,
        "lost the database at \(settings.url) while the command ran: \(reason)",
        hint: "check that the server runs (`meridian db status`) and run the command again"
    )
}
