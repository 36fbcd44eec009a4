import Logging
import MeridianPostgres
import PostgresNIO
import ServiceLifecycle

/// Keeps `exchange_view_changes` (migration 0023) small: every change to an exchange's rows
/// appends a row there, whether or not a server caches views, so `meridian serve` and
/// `meridian worker` both run this. Every ``every`` it deletes the rows older than a minute whose
/// transaction every snapshot sees as complete, on a connection of its own (a long delete never
/// holds the feed's questions back), and records the newest transaction it deleted so a feed
/// whose last snapshot may not have seen it starts again. A ServiceLifecycle `Service`.
public struct ExchangeViewChangePruner: Service {
    private let settings: ConnectionSettings
    private let logger: Logger
    private let every: Duration

    public init(settings: ConnectionSettings, logger: Logger, every: Duration = .seconds(30)) {
        self.settings = settings
        self.logger = logger
        self.every = every
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.pruneUntilCancelled()
        }
    }

    func pruneUntilCancelled() async {
        while !Task.isCancelled {
            do {
                try await withPostgresConnection(settings, logger: logger) { connection in
                    while true {
                        try await Self.prune(on: connection, logger: logger)
                        try await Task.sleep(for: every)
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.notice("pruning exchange_view_changes failed; trying again later", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: every)
        }
    }

    /// Deletes the rows older than a minute whose transaction is older than every snapshot's
    /// `xmin` (so a transaction still open anywhere keeps its neighbours: a feed's next question
    /// is never told to start again because of it), and remembers the newest one deleted.
    static func prune(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            WITH pruned AS (
                DELETE FROM exchange_view_changes
                WHERE written_at < now() - interval '1 minute' AND written_xid < pg_snapshot_xmin(pg_current_snapshot())
                RETURNING written_xid
            ), newest AS (
                SELECT written_xid FROM pruned ORDER BY written_xid DESC LIMIT 1
            )
            UPDATE exchange_view_state s SET pruned_through = greatest(s.pruned_through, n.written_xid) FROM newest n
            """, logger: logger)
    }
}
