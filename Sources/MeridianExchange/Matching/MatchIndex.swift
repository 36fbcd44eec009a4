import Logging
import PostgresNIO

/// The catalogue's postings and scoring columns in memory, so that a match ranks every
/// experience holding a request word exactly — the SQL exhaustive ranking's result — in a few
/// milliseconds at 100,000 experiences, where reading and ranking the rows in SQL takes seconds.
///
/// One per process: the service holds one (for `kb match`, the HTTP API and the engine's
/// matching task), `meridian-bench match` its own. The first match loads the whole catalogue
/// (``catchUp(client:logger:)`` without a position); every later one first asks, inside the
/// request-terms statement it makes anyway, whether anything was written since the index last
/// read, and if so reads only that (migration 0020: the rows whose writing transaction the
/// last read's snapshot did not see as complete, and the tombstones of deleted ones). A match
/// thus sees every change committed before its terms statement ran, whoever wrote it.
///
/// An actor, not a lock: a catch-up awaits the database, and catch-ups must not overlap (two
/// reads applied out of order would put an older row back), which an actor with one running
/// read expresses without holding a lock across an `await`. Matches do not queue behind each
/// other: each takes the current ``Catalogue`` (a value; copy-on-write) and ranks it on its
/// own task, so concurrent matches rank in parallel and a catch-up never changes a catalogue a
/// match is ranking.
public actor MatchIndex {
    /// Where the index has read up to: the snapshot of its last read (text form of
    /// `pg_snapshot`) and the catalogue's generation then.
    public struct Position: Sendable, Equatable {
        public var snapshot: String
        public var generation: Int
    }

    /// What the last reads cost, for the benchmark and the logs.
    public struct Reading: Sendable {
        /// Rows (experiences and tombstones) the last read applied, and whether it was a full load.
        public var rows = 0
        public var full = false
        public var seconds = 0.0
        /// Full loads and catch-ups since the index was made.
        public var loads = 0
        public var catchUps = 0
    }

    public private(set) var catalogue = Catalogue()
    public private(set) var position: Position?
    public private(set) var reading = Reading()
    private var running: Task<Void, any Error>?

    public init() {}

    /// How many experiences the index holds.
    public var count: Int { catalogue.count }

    /// Reads what changed since ``position`` (everything when there is none, or when the
    /// catalogue was truncated or tombstones it had not read were pruned) and applies it.
    /// Waits for a read already running first, then reads again: that read may have begun
    /// before the caller learnt of its change.
    public func catchUp(client: PostgresClient, logger: Logger) async throws {
        while let current = running {
            _ = try? await current.value
            // Awaiting a finished read returns without suspending: the waiter that resumes
            // first clears it, or it would spin on the actor before its starter could.
            if running == current { running = nil }
        }
        let task = Task { try await self.read(client: client, logger: logger) }
        running = task
        defer { if running == task { running = nil } }
        try await task.value
    }

    /// One read and its application, as one step of the actor (no `await` between applying
    /// the first row and the last).
    private func read(client: PostgresClient, logger: Logger) async throws {
        let start = ContinuousClock.now
        if let position {
            let changes = try await Self.changes(since: position, client: client, logger: logger)
            if !changes.reload {
                for id in changes.deleted { catalogue.remove(id) }
                for row in changes.rows { try catalogue.insert(row) }
                catalogue.compactIfWorthIt()
                self.position = changes.position
                reading.rows = changes.deleted.count + changes.rows.count
                reading.full = false
                reading.catchUps += 1
                reading.seconds = (ContinuousClock.now - start).seconds
                return
            }
            logger.info("match index: reloading the whole catalogue (truncated, or tombstones pruned since the last read)")
        }
        let (loaded, position) = try await Self.load(client: client, logger: logger)
        catalogue = loaded
        self.position = position
        reading.rows = loaded.count
        reading.full = true
        reading.loads += 1
        reading.seconds = (ContinuousClock.now - start).seconds
        logger.debug("match index loaded", metadata: ["match.index.experiences": "\(loaded.count)", "match.index.seconds": "\(reading.seconds)"])
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
