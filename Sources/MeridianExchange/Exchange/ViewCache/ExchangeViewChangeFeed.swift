import Foundation
import Logging
import MeridianPostgres
import PostgresNIO
import ServiceLifecycle

/// Keeps an ``ExchangeViewCache`` honest: while the cache is in use, asks PostgreSQL every
/// ``interval`` which exchanges were written since its previous question (migration 0023's
/// `exchange_view_changes`), on a connection of its own so a busy pool never delays it, and
/// drops them from the cache. Idle (no use for the cache's `idleAfter`), it stops asking and the
/// cache serves nothing until the next read wakes it. A lost connection stops the cache too;
/// the feed connects again a second later. A ServiceLifecycle `Service`: it stops on graceful
/// shutdown.
public struct ExchangeViewChangeFeed: Service {
    private let cache: ExchangeViewCache
    private let settings: ConnectionSettings
    private let logger: Logger
    /// Between two questions while the cache is in use (writers waiting do not wait for it).
    public let interval: Duration
    private let retryDelay: Duration

    public init(cache: ExchangeViewCache, settings: ConnectionSettings, logger: Logger,
                interval: Duration = .milliseconds(5), retryDelay: Duration = .seconds(1)) {
        self.cache = cache
        self.settings = settings
        self.logger = logger
        self.interval = interval
        self.retryDelay = retryDelay
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.feed()
        }
    }

    /// A question that takes longer fails, so the cache stops serving (and lets waiting
    /// writers go) rather than waiting on a stalled connection.
    static let questionTimeout = "5s"

    /// Asks until cancelled, connecting again after each loss.
    public func feed() async {
        while !Task.isCancelled {
            do {
                try await withPostgresConnection(settings, logger: logger) { connection in
                    try await self.ask(on: connection)
                }
            } catch {
                cache.stopped()
                if Task.isCancelled { break }
                logger.warning("the exchange view cache's connection was lost; every view is read from the database until it is back",
                               metadata: ["error": "\(String(reflecting: error))"])
            }
            cache.stopped()
            try? await Task.sleep(for: retryDelay)
        }
        cache.stopped()
    }

    private func ask(on connection: PostgresConnection) async throws {
        try await connection.query("SET statement_timeout = '\(unescaped: Self.questionTimeout)'", logger: logger)
        let clock = ContinuousClock()
        var snapshot: String?
        var lastSent: ContinuousClock.Instant?
        while !Task.isCancelled {
            switch cache.next(interval: interval, lastSent: lastSent) {
            case .idle:
                if snapshot != nil { cache.stopped() }
                snapshot = nil
                lastSent = nil
                await cache.waitForWork(until: nil)
            case .waitUntil(let deadline):
                await cache.waitForWork(until: deadline)
            case .ask:
                let sent = clock.now
                if let since = snapshot {
                    let answer = try await Self.changes(since: since, on: connection, logger: logger)
                    snapshot = answer.snapshot
                    cache.changed(answer.exchanges, everything: answer.everything, questionSentAt: sent)
                } else {
                    snapshot = try await Self.currentSnapshot(on: connection, logger: logger)
                    cache.started(questionSentAt: sent)
                }
                lastSent = sent
            }
        }
    }

    /// What a question learned.
    struct Answer {
        /// Its own snapshot, for the next question.
        var snapshot: String
        var exchanges: [UUID]
        /// Every view may have changed: a table was truncated, or rows the previous question
        /// may not have seen were pruned.
        var everything: Bool
    }

    static func currentSnapshot(on connection: PostgresConnection, logger: Logger) async throws -> String {
        let rows = try await connection.query("SELECT pg_current_snapshot()::text", logger: logger)
        for try await snapshot in rows.decode(String.self) { return snapshot }
        throw ExchangeError(.invalidData, "pg_current_snapshot() returned no row")
    }

    /// The exchanges written by transactions `since` did not see as complete, and the snapshot
    /// of the statement that found them: one statement, so one snapshot. "Not complete in
    /// `since`" is written as its two index ranges — begun at or after its `xmax`, or among its
    /// transactions in progress — rather than as `NOT pg_visible_in_snapshot(…)` over everything
    /// since its `xmin`, which a writing transaction left open would keep far behind.
    static func changes(since: String, on connection: PostgresConnection, logger: Logger) async throws -> Answer {
        for try await (snapshot, everything, exchanges) in try await connection.execute(ChangesStatement(since: since), logger: logger) {
            return Answer(snapshot: snapshot, exchanges: exchanges, everything: everything)
        }
        throw ExchangeError(.invalidData, "exchange_view_state has no row: run `meridian db migrate`")
    }

    struct ChangesStatement: PostgresPreparedStatement {
        static let sql = """
            SELECT pg_current_snapshot()::text,
                   coalesce(s.pruned_through >= pg_snapshot_xmin($1::text::pg_snapshot), false) OR coalesce(c.everything, false),
                   coalesce(c.exchanges, '{}')
            FROM exchange_view_state s,
                 LATERAL (SELECT array_agg(DISTINCT v.exchange_id) FILTER (WHERE v.exchange_id IS NOT NULL) AS exchanges,
                                 bool_or(v.exchange_id IS NULL) AS everything
                          FROM exchange_view_changes v
                          WHERE v.written_xid >= pg_snapshot_xmax($1::text::pg_snapshot)
                             OR v.written_xid IN (SELECT pg_snapshot_xip($1::text::pg_snapshot))) AS c
            """
        typealias Row = (String, Bool, [UUID])
        var since: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(since)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
