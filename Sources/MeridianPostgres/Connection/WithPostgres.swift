import Foundation
import Logging
import PostgresNIO

/// Runs `body` with a pooled client that is connected to `settings`, and shuts the pool down
/// afterwards.
///
/// A single probe connection is made first, so that a wrong URL or a server that is down
/// fails at once with PostgreSQL's own reason instead of leaving queries waiting for a pool
/// that keeps retrying.
///
/// While `body` runs, a ``Watchdog`` probes the server every few seconds (when `watchdog` is
/// on). PostgresNIO's pool, once it cannot connect, backs off and keeps its callers waiting
/// for up to a minute; when a probe fails, the watchdog stops the pool instead, so the
/// callers' queries fail at once and the command ends with ``DatabaseError/Code/timedOut``
/// (exit 69) rather than hang. A worker, which waits and retries by itself, turns it off.
///
/// A statement that PostgresNIO wrote to a connection the server had just closed never
/// answers and cannot be cancelled (see ``ClosedConnectionGuard``). So once the watchdog has
/// found the server gone or restarted, `body` has the connect timeout to end by itself; if
/// it has not, `whenStuck` is called with the error to end with — a command-line tool prints
/// it and exits, since the stuck task cannot be ended from inside.
@discardableResult
public func withPostgresClient<Result: Sendable>(
    _ settings: ConnectionSettings,
    logger: Logger,
    watchdog: Bool = true,
    whenStuck: (@Sendable (DatabaseError) -> Void)? = nil,
    _ body: (PostgresClient) async throws -> Result
) async throws -> Result {
    let dog = Watchdog(settings: settings, logger: logger)
    let serverStartedAt = try await dog.serverStart()
    // The pool warns when a lease races its own start-up; that is noise for a caller.
    var backgroundLogger = logger
    backgroundLogger.logLevel = max(logger.logLevel, .error)
    let client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: backgroundLogger)
    let running = Task { await client.run() }
    let lost = LostDatabase()
    // The watchdog cancels this very task when the database is gone: a query waiting for
    // the pool's next connection attempt then fails at once (PostgresNIO cancels its lease).
    let cancelBody = withUnsafeCurrentTask { task in BodyCancellation(task) }
    let watching = Task {
        guard watchdog, let loss = await dog.waitForLoss(serverStartedAt: serverStartedAt) else { return }
        await lost.record(loss)
        if loss.unreachable {
            cancelBody.cancel()
            running.cancel()
        }
        guard (try? await Task.sleep(for: settings.connectTimeout)) != nil else { return }
        whenStuck?(lostDatabase(settings, loss.reason))
    }
    defer {
        cancelBody.finish()
        watching.cancel()
        running.cancel()
    }
    do {
        let result = try await body(client)
        cancelBody.finish()
        return result
    } catch {
        cancelBody.finish()
        if let reason = await lost.reason { throw lostDatabase(settings, reason) }
        throw error
    }
}

/// Runs `body` with one connection that is closed afterwards, for work that needs a single
/// session (advisory locks, LISTEN, maintenance).
///
/// The attempt to connect — socket, TLS and login — is bounded by the settings'
/// `connectTimeout`: a server that accepts the socket but never answers (one shutting down,
/// or stopped with SIGSTOP) fails the attempt instead of hanging it.
@discardableResult
public func withPostgresConnection<Result>(
    _ settings: ConnectionSettings,
    logger: Logger,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (PostgresConnection) async throws -> sending Result
) async throws -> sending Result {
    let connection: PostgresConnection
    do {
        connection = try await connect(settings, logger: logger)
    } catch let error as DatabaseError {
        throw error
    } catch {
        // PostgresNIO's own connect timeout (the same limit) may fire before ours: a timeout either way.
        let reason = DatabaseUnavailable.reason(error)
        throw DatabaseError(
            reason.lowercased().contains("timeout") ? .timedOut : .clusterNotRunning,
            "cannot connect to \(settings.url): \(reason)",
            hint: "check that the server runs and the URL is right (`meridian db status`)",
            underlying: error
        )
    }
    do {
        let result = try await body(connection)
        await closeWithin(connection, settings.connectTimeout)
        return result
    } catch {
        await closeWithin(connection, settings.connectTimeout)
        throw error
    }
}

/// Closes `connection`, waiting at most `limit`: closing a connection whose server went
/// away mid-shutdown was seen never to finish (no socket left, no answer), which hung the
/// command after its work was done. The socket is closed either way.
private func closeWithin(_ connection: PostgresConnection, _ limit: Duration) async {
    let closing = Task { try? await connection.close() }
    let done = CloseRace()
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        done.begin(continuation)
        Task {
            await closing.value
            done.finish()
        }
        Task {
            try? await Task.sleep(for: limit)
            done.finish()
        }
    }
}

/// Resumes its waiter once, whichever of its finishers comes first.
private final class CloseRace: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?

    func begin(_ continuation: CheckedContinuation<Void, Never>) { lock.withLock { self.continuation = continuation } }

    func finish() {
        let waiting = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume()
    }
}

/// One connection, or `.timedOut` once `connectTimeout` has passed, whether or not the
/// attempt honours cancellation; an attempt that completes after its timeout is closed.
private func connect(_ settings: ConnectionSettings, logger: Logger) async throws -> PostgresConnection {
    let configuration = try settings.connectionConfiguration
    let race = ConnectRace()
    return try await withCheckedThrowingContinuation { continuation in
        race.begin(continuation)
        let attempt = Task {
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
                if !race.finish(.success(connection)) { try? await connection.close() }
            } catch {
                race.finish(.failure(error))
            }
        }
        race.timer = Task {
            guard (try? await Task.sleep(for: settings.connectTimeout)) != nil else { return }
            let seconds = settings.connectTimeout.components.seconds
            if race.finish(.failure(DatabaseError(
                .timedOut,
                "\(settings.url) did not answer within \(seconds) s",
                hint: "check that the server runs (`meridian db status`); the limit is the URL's connect_timeout"
            ))) {
                attempt.cancel()
            }
        }
    }
}

/// The first of a connection attempt and its timer to finish resumes the caller, once.
private final class ConnectRace: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<PostgresConnection, any Error>?
    private var _timer: Task<Void, Never>?

    var timer: Task<Void, Never>? {
        get { lock.withLock { _timer } }
        set {
            let finished = lock.withLock { () -> Bool in
                _timer = newValue
                return continuation == nil
            }
            if finished { newValue?.cancel() }
        }
    }

    func begin(_ continuation: CheckedContinuation<PostgresConnection, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    /// Resumes the caller with `result` unless it was resumed already; `false` then.
    @discardableResult
    func finish(_ result: Result<PostgresConnection, any Error>) -> Bool {
        let (waiting, timer) = lock.withLock { () -> (CheckedContinuation<PostgresConnection, any Error>?, Task<Void, Never>?) in
            defer { continuation = nil }
            return (continuation, _timer)
        }
        guard let waiting else { return false }
        timer?.cancel()
        waiting.resume(with: result)
        return true
    }
}
