import Foundation
import Logging
import PostgresNIO

/// PostgresNIO (1.33) hands a statement to its connection's channel without asking to hear
/// whether the write succeeded. Once the server has ended the session — a restart, a crash,
/// `pg_terminate_backend` — and the channel has closed, that write is dropped and the
/// statement's result never comes: its caller waits for ever, deaf to cancellation. A fix
/// was merged upstream and reverted (vapor/postgres-nio pull requests 487 and 501).
///
/// It bit Meridian where a statement follows a failure: `ROLLBACK` after a transaction's body
/// failed because the server went away (PostgresNIO's `withTransaction`), the migrator's
/// unlock after a failed migration, `BEGIN` on a connection the pool leased as it closed.
/// Meridian's own statements therefore go through ``PostgresConnection/guardedQuery(_:logger:file:line:)``,
/// which is never sent on a closed connection and is given up, with an error, when its
/// connection closes under it without an answer.
enum ClosedConnectionGuard {
    /// How often a pending statement's connection is looked at.
    static let pollInterval: Duration = .milliseconds(50)
    /// How long a statement may still end by itself once its connection has closed: one that
    /// was written fails at once with the connection's own error, so only a dropped one is
    /// still waiting after this.
    static let grace: Duration = .seconds(1)

    /// The error of a statement whose connection closed before it was answered.
    static func closed(_ connection: PostgresConnection) -> DatabaseError {
        DatabaseError(
            .timedOut,
            "the database closed connection \(connection.id) before answering (the server stopped, restarted or ended the session)",
            hint: "check that the server runs (`meridian db status`) and try again"
        )
    }

    /// Runs `operation`, which uses `connection`, and gives it up with ``closed(_:)`` once the
    /// connection has closed and `operation` has not ended within ``grace``. A given-up
    /// operation is left to itself: it can no longer do anything on a closed connection.
    static func run<Result: Sendable>(
        on connection: PostgresConnection,
        _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        if connection.isClosed { throw closed(connection) }
        let outcome = Outcome<Result>()
        let work = Task {
            do { outcome.finish(.success(try await operation())) } catch { outcome.finish(.failure(error)) }
        }
        let watcher = Task {
            while !Task.isCancelled, !connection.isClosed {
                try? await Task.sleep(for: pollInterval)
            }
            guard !Task.isCancelled else { return }
            try? await Task.sleep(for: grace)
            guard !Task.isCancelled else { return }
            if outcome.finish(.failure(closed(connection))) { work.cancel() }
        }
        defer { watcher.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.begin(continuation)
            }
        } onCancel: {
            // The watcher stays: a cancelled statement on a closed connection must still end.
            work.cancel()
        }
    }

    /// The first of an operation and its watcher to end resumes the caller, once; the
    /// watcher is stopped when the operation wins.
    private final class Outcome<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Value, any Error>?
        private var early: Swift.Result<Value, any Error>?
        private var done = false

        func begin(_ continuation: CheckedContinuation<Value, any Error>) {
            let ready = lock.withLock { () -> Swift.Result<Value, any Error>? in
                if let early { return early }
                self.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }

        /// Delivers `result` unless another was delivered first; `false` then.
        @discardableResult
        func finish(_ result: Swift.Result<Value, any Error>) -> Bool {
            let waiting = lock.withLock { () -> CheckedContinuation<Value, any Error>?? in
                guard !done else { return .none }
                done = true
                if let continuation {
                    self.continuation = nil
                    return .some(continuation)
                }
                early = result
                return .some(nil)
            }
            guard case .some(let continuation) = waiting else { return false }
            continuation?.resume(with: result)
            return true
        }
    }
}

extension PostgresConnection {
    /// Runs `query` as `query(_:logger:)` does, but fails instead of waiting for ever when the
    /// connection is closed or closes before the server answers (see ``ClosedConnectionGuard``).
    @discardableResult
    public func guardedQuery(
        _ query: PostgresQuery,
        logger: Logger,
        file: String = #fileID,
        line: Int = #line
    ) async throws -> PostgresRowSequence {
        try await ClosedConnectionGuard.run(on: self) {
            try await self.query(query, logger: logger, file: file, line: line)
        }
    }

    /// Runs `body` in a transaction on this connection: `BEGIN`, then `COMMIT`, or `ROLLBACK`
    /// when `body` throws — each guarded, and no `ROLLBACK` on a connection that has closed
    /// (the server has rolled the transaction back already). `body`'s own error is thrown as
    /// it is; a failed `BEGIN` or `COMMIT` throws PostgreSQL's error.
    public func guardedTransaction<Result>(
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        try await guardedQuery("BEGIN", logger: logger)
        let value: Result
        do {
            value = try await body(self)
        } catch {
            if !isClosed { _ = try? await guardedQuery("ROLLBACK", logger: logger) }
            throw error
        }
        try await guardedQuery("COMMIT", logger: logger)
        return value
    }
}
