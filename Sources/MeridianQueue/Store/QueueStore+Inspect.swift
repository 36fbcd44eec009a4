import Foundation
import Logging
import PostgresNIO

/// The figures of one queue, for operators and alerts.
public struct QueueStats: Sendable, Codable, Equatable {
    public var queue: QueueName
    /// Jobs waiting for a future run-at (scheduled or backing off).
    public var scheduled: Int
    /// Jobs claimable now: the queue's depth.
    public var available: Int
    /// Jobs leased by workers.
    public var running: Int
    /// Dead jobs kept in the history (retry them with `meridian queue retry`).
    public var dead: Int
    /// How long the oldest claimable job has been claimable, in milliseconds (0 when none).
    public var oldestAvailableAgeMilliseconds: Int64
    /// Jobs completed in the last 60 seconds.
    public var completedLastMinute: Int
}

extension QueueStore {
    /// One row per queue that has jobs waiting, running, dead or recently completed.
    public func stats(on database: some QueueDatabase) async throws -> [QueueStats] {
        let rows = try await database.queueRows(
            """
            WITH hot AS (
                SELECT queue,
                       count(*) FILTER (WHERE state = 'scheduled') AS scheduled,
                       count(*) FILTER (WHERE state = 'available') AS available,
                       count(*) FILTER (WHERE state = 'running') AS running,
                       coalesce((extract(epoch FROM now() - min(run_at) FILTER (WHERE state = 'available')) * 1000)::int8, 0) AS oldest_ms
                FROM queue_jobs GROUP BY queue
            ),
            dead AS (
                SELECT queue, count(*) AS dead FROM queue_job_history WHERE state = 'dead' GROUP BY queue
            ),
            recent AS (
                SELECT queue, count(*) AS completed FROM queue_job_history
                WHERE finished_at > now() - interval '1 minute' AND state = 'completed' GROUP BY queue
            ),
            names AS (SELECT queue FROM hot UNION SELECT queue FROM dead UNION SELECT queue FROM recent)
            SELECT n.queue, coalesce(h.scheduled, 0), coalesce(h.available, 0), coalesce(h.running, 0),
                   coalesce(d.dead, 0), greatest(coalesce(h.oldest_ms, 0), 0), coalesce(r.completed, 0)
            FROM names n
            LEFT JOIN hot h USING (queue) LEFT JOIN dead d USING (queue) LEFT JOIN recent r USING (queue)
            ORDER BY n.queue
            """,
            logger: logger
        )
        return try rows.map { row in
            let (queue, scheduled, available, running, dead, oldest, completed) =
                try row.decode((String, Int64, Int64, Int64, Int64, Int64, Int64).self)
            return QueueStats(
                queue: QueueName(queue), scheduled: Int(scheduled), available: Int(available), running: Int(running),
                dead: Int(dead), oldestAvailableAgeMilliseconds: oldest, completedLastMinute: Int(completed)
            )
        }
    }

    /// One job by id, from the hot table or the history; `nil` when there is none.
    public func job(_ id: JobID, on database: some QueueDatabase) async throws -> Job? {
        let rows = try await database.queueRows(
            """
            SELECT \(unescaped: Self.hotColumns) FROM queue_jobs WHERE id = \(id.rawValue)
            UNION ALL
            SELECT \(unescaped: Self.historyColumns) FROM queue_job_history WHERE id = \(id.rawValue)
            """,
            logger: logger
        )
        return try rows.first.map(Self.decodeJob)
    }

    /// Jobs newest first: waiting and running ones (no `state`, or an active state), or
    /// finished ones from the history (a finished `state`).
    public func list(queue: QueueName? = nil, state: JobState? = nil, limit: Int = 50, on database: some QueueDatabase) async throws -> [Job] {
        let queueName = queue?.rawValue
        let stateName = state?.rawValue
        let query: PostgresQuery
        if let state, !state.isActive {
            query = """
                SELECT \(unescaped: Self.historyColumns) FROM queue_job_history
                WHERE state = \(stateName) AND (\(queueName)::text IS NULL OR queue = \(queueName)::text)
                ORDER BY finished_at DESC, id DESC LIMIT \(Int64(limit))
                """
        } else {
            query = """
                SELECT \(unescaped: Self.hotColumns) FROM queue_jobs
                WHERE (\(stateName)::text IS NULL OR state = \(stateName)::text)
                  AND (\(queueName)::text IS NULL OR queue = \(queueName)::text)
                ORDER BY id DESC LIMIT \(Int64(limit))
                """
        }
        return try await database.queueRows(query, logger: logger).map(Self.decodeJob)
    }

    static let hotColumns = """
        id, queue, kind, payload::text AS payload, priority, state, attempt, max_attempts, run_at, unique_key,
        lease_token, lease_expires_at, leased_by, errors::text AS errors, enqueued_at, attempted_at,
        NULL::timestamptz AS finished_at
        """

    static let historyColumns = """
        id, queue, kind, payload::text, priority, state, attempt, max_attempts, NULL::timestamptz, unique_key,
        NULL::int8, NULL::timestamptz, NULL::text, errors::text, enqueued_at, attempted_at, finished_at
        """

    static func decodeJob(_ row: PostgresRow) throws -> Job {
        let cells = row.makeRandomAccess()
        let errorsJSON = try cells[13].decode(String.self)
        let errors = (try? JSONDecoder().decode([JobError].self, from: Data(errorsJSON.utf8))) ?? []
        guard let state = JobState(rawValue: try cells[5].decode(String.self)) else {
            throw QueueError(.wrongState, "the database holds a job in a state this build does not know")
        }
        return Job(
            id: JobID(try cells[0].decode(Int64.self)),
            queue: QueueName(try cells[1].decode(String.self)),
            kind: JobKind(try cells[2].decode(String.self)),
            payload: try cells[3].decode(String.self),
            priority: try cells[4].decode(Int16.self),
            state: state,
            attempt: try cells[6].decode(Int32.self),
            maxAttempts: try cells[7].decode(Int32.self),
            runAt: try cells[8].decode(Date?.self),
            uniqueKey: try cells[9].decode(String?.self),
            leaseToken: try cells[10].decode(Int64?.self).map(LeaseToken.init(rawValue:)),
            leaseExpiresAt: try cells[11].decode(Date?.self),
            leasedBy: try cells[12].decode(String?.self),
            errors: errors,
            enqueuedAt: try cells[14].decode(Date.self),
            attemptedAt: try cells[15].decode(Date?.self),
            finishedAt: try cells[16].decode(Date?.self)
        )
    }
}
