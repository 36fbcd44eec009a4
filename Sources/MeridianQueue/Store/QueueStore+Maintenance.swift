import Foundation
import Logging
import PostgresNIO

/// What one rescue pass did with expired leases.
public struct RescueResult: Sendable, Equatable {
    /// Jobs with attempts left, claimable again.
    public var returned: Int
    /// Jobs whose expired attempt was their last: now dead.
    public var dead: Int

    public init(returned: Int, dead: Int) {
        self.returned = returned
        self.dead = dead
    }
}

extension QueueStore {
    /// Returns jobs whose lease expired (their worker crashed, hung or lost its connection)
    /// to the available state, or makes them dead when that was their last attempt. The
    /// expiry is recorded as an error of that attempt.
    public func rescueExpired(limit: Int = 1000, on database: some QueueDatabase) async throws -> RescueResult {
        let rows = try await database.queueRows(
            """
            WITH expired AS (
                SELECT id FROM queue_jobs
                WHERE state = 'running' AND lease_expires_at < now()
                ORDER BY lease_expires_at LIMIT \(Int64(limit))
                FOR UPDATE SKIP LOCKED
            ),
            revived AS (
                UPDATE queue_jobs j
                SET state = 'available', lease_token = NULL, lease_expires_at = NULL, leased_by = NULL,
                    errors = j.errors || jsonb_build_array(jsonb_build_object(
                        'attempt', j.attempt, 'at', now(), 'error', 'lease expired (worker ' || coalesce(j.leased_by, '?') || ')'))
                FROM expired e WHERE j.id = e.id AND j.attempt < j.max_attempts
                RETURNING j.id, j.queue
            ),
            died AS (
                DELETE FROM queue_jobs j USING expired e
                WHERE j.id = e.id AND j.attempt >= j.max_attempts
                RETURNING j.*
            ),
            buried AS (
                INSERT INTO queue_job_history (id, queue, kind, payload, priority, state, attempt, max_attempts,
                                               unique_key, errors, enqueued_at, attempted_at, finished_at)
                SELECT id, queue, kind, payload, priority, 'dead', attempt, max_attempts, unique_key,
                       errors || jsonb_build_array(jsonb_build_object(
                           'attempt', attempt, 'at', now(), 'error', 'lease expired (worker ' || coalesce(leased_by, '?') || ')')),
                       enqueued_at, attempted_at, now()
                FROM died
                RETURNING id
            ),
            woken AS (
                SELECT pg_notify(\(Self.notificationChannel), queue) FROM (SELECT DISTINCT queue FROM revived) AS q
            )
            SELECT (SELECT count(*) FROM revived), (SELECT count(*) FROM buried), (SELECT count(*) FROM woken)
            """,
            logger: logger
        )
        let (returned, dead, _) = try rows[0].decode((Int64, Int64, Int64).self)
        return RescueResult(returned: Int(returned), dead: Int(dead))
    }

    /// Cancels a job that has not finished: it leaves the hot table for the history as
    /// cancelled. A running job's body is not interrupted, but its worker's completion will be
    /// refused (its lease no longer exists). Returns the state it was in.
    @discardableResult
    public func cancel(_ id: JobID, on database: some QueueDatabase) async throws -> JobState {
        let rows = try await database.queueRows(
            """
            WITH gone AS (
                DELETE FROM queue_jobs WHERE id = \(id.rawValue) RETURNING *
            )
            INSERT INTO queue_job_history (id, queue, kind, payload, priority, state, attempt, max_attempts,
                                           unique_key, errors, enqueued_at, attempted_at, finished_at)
            SELECT id, queue, kind, payload, priority, 'cancelled', attempt, max_attempts, unique_key,
                   errors, enqueued_at, attempted_at, now()
            FROM gone
            RETURNING (SELECT state FROM gone)
            """,
            logger: logger
        )
        if let row = rows.first, let state = JobState(rawValue: try row.decode(String.self)) { return state }
        guard let job = try await job(id, on: database) else {
            throw QueueError(.notFound, "no job has the id \(id)", hint: "list jobs with `meridian queue list`")
        }
        throw QueueError(.wrongState, "job \(id) is already \(job.state.rawValue) and cannot be cancelled")
    }

    /// Puts a dead or cancelled job back to run now, with a fresh set of attempts (its
    /// errors stay), or makes a scheduled job run now.
    public func retry(_ id: JobID, on database: some QueueDatabase) async throws {
        let moved = try await moveBack(id: id, on: database)
        if moved > 0 { return }
        let rows = try await database.queueRows(
            """
            UPDATE queue_jobs SET state = 'available', run_at = now()
            WHERE id = \(id.rawValue) AND state = 'scheduled'
            RETURNING id
            """,
            logger: logger
        )
        if !rows.isEmpty { return }
        guard let job = try await job(id, on: database) else {
            throw QueueError(.notFound, "no job has the id \(id)", hint: "list dead jobs with `meridian queue list --state dead`")
        }
        if job.state == .dead || job.state == .cancelled {
            throw QueueError(
                .wrongState, "job \(id) cannot run again while another \(job.kind) job with its unique key waits or runs",
                hint: "cancel that job first, or leave this one"
            )
        }
        throw QueueError(.wrongState, "job \(id) is \(job.state.rawValue); only dead, cancelled or scheduled jobs can be retried")
    }

    /// Puts every dead job (of `queue`, or of all queues) back to run now. Jobs whose unique
    /// key is held by a waiting or running job stay dead. Returns how many moved.
    public func retryAllDead(queue: QueueName? = nil, on database: some QueueDatabase) async throws -> Int {
        try await moveBack(queue: queue, on: database)
    }

    /// Moves dead (and, for one id, cancelled) jobs from the history back into the hot
    /// table in one statement; a job whose unique key is taken stays where it is.
    private func moveBack(id: JobID? = nil, queue: QueueName? = nil, on database: some QueueDatabase) async throws -> Int {
        let onlyDead = id == nil
        let rows = try await database.queueRows(
            """
            WITH candidates AS (
                SELECT * FROM queue_job_history h
                WHERE (h.state = 'dead' OR (NOT \(onlyDead) AND h.state = 'cancelled'))
                  AND (\(id?.rawValue)::int8 IS NULL OR h.id = \(id?.rawValue)::int8)
                  AND (\(queue?.rawValue)::text IS NULL OR h.queue = \(queue?.rawValue)::text)
                FOR UPDATE
            ),
            back AS (
                INSERT INTO queue_jobs (id, queue, kind, payload, priority, state, attempt, max_attempts, run_at,
                                        unique_key, errors, enqueued_at, attempted_at)
                OVERRIDING SYSTEM VALUE
                SELECT id, queue, kind, payload, priority, 'available', 0, max_attempts, now(),
                       unique_key, errors, enqueued_at, attempted_at
                FROM candidates
                ON CONFLICT DO NOTHING
                RETURNING id
            ),
            removed AS (
                DELETE FROM queue_job_history WHERE id IN (SELECT id FROM back) RETURNING id
            )
            SELECT count(*) FROM removed
            """,
            logger: logger
        )
        return Int(try rows[0].decode(Int64.self))
    }

    /// Deletes finished jobs (completed and cancelled, and dead ones too when asked) that
    /// finished more than `olderThanSeconds` ago, in slices so no statement runs long.
    /// Returns how many were deleted.
    public func prune(olderThanSeconds: Int64, includeDead: Bool = false, on database: some QueueDatabase) async throws -> Int {
        var total = 0
        while true {
            let rows = try await database.queueRows(
                """
                WITH victims AS (
                    SELECT id FROM queue_job_history
                    WHERE finished_at < now() - \(olderThanSeconds)::bigint * interval '1 second'
                      AND (state <> 'dead' OR \(includeDead))
                    LIMIT 10000
                ),
                gone AS (DELETE FROM queue_job_history WHERE id IN (SELECT id FROM victims) RETURNING 1)
                SELECT count(*) FROM gone
                """,
                logger: logger
            )
            let deleted = Int(try rows[0].decode(Int64.self))
            total += deleted
            if deleted < 10000 { return total }
        }
    }
}
