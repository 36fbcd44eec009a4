import Foundation
import Logging
import PostgresNIO

/// The outcome of acknowledging a batch: which leases the database accepted and which it
/// refused because their token is stale (the lease expired and was rescued, re-claimed,
/// released or cancelled). A refused lease changed nothing.
public struct AcknowledgeResult: Sendable, Equatable {
    public var accepted: [JobID]
    public var refused: [JobID]

    init(requested: [Lease], accepted: Set<JobID>) {
        self.accepted = requested.map(\.id).filter { accepted.contains($0) }
        self.refused = requested.map(\.id).filter { !accepted.contains($0) }
    }
}

/// One failed attempt to report.
public struct Failure: Sendable {
    public var lease: Lease
    /// The error's text, kept with the job.
    public var message: String
    /// How long until the next attempt when one is left (from the worker's ``RetryPolicy``).
    public var retryDelayMilliseconds: Int64

    public init(lease: Lease, message: String, retryDelayMilliseconds: Int64) {
        self.lease = lease
        self.message = message
        self.retryDelayMilliseconds = retryDelayMilliseconds
    }
}

/// What reporting failures did, per job.
public struct FailResult: Sendable, Equatable {
    /// Jobs that will run again after their delay.
    public var retried: [JobID]
    /// Jobs that had used their last attempt: now dead, in the history with their errors.
    public var dead: [JobID]
    /// Stale tokens: nothing changed.
    public var refused: [JobID]
}

extension QueueStore {
    /// Completes a batch of jobs in one statement: each leaves the hot table and enters the
    /// history as completed, but only if its lease token is still current.
    public func complete(_ leases: [Lease], on database: some QueueDatabase) async throws -> AcknowledgeResult {
        guard !leases.isEmpty else { return AcknowledgeResult(requested: [], accepted: []) }
        let ids = leases.map(\.id.rawValue)
        let tokens = leases.map(\.token.rawValue)
        let rows = try await database.queueRows(
            """
            WITH done AS (
                DELETE FROM queue_jobs j
                USING unnest(\(ids)::int8[], \(tokens)::int8[]) AS a(id, token)
                WHERE j.id = a.id AND j.lease_token = a.token AND j.state = 'running'
                RETURNING j.*
            )
            INSERT INTO queue_job_history (id, queue, kind, payload, priority, state, attempt, max_attempts,
                                           unique_key, errors, enqueued_at, attempted_at, finished_at)
            SELECT id, queue, kind, payload, priority, 'completed', attempt, max_attempts,
                   unique_key, errors, enqueued_at, attempted_at, now()
            FROM done
            RETURNING id
            """,
            logger: logger
        )
        return AcknowledgeResult(requested: leases, accepted: Set(try rows.map { JobID(try $0.decode(Int64.self)) }))
    }

    /// Reports failed attempts in one statement: a job with attempts left goes back to wait
    /// for its delay, one without becomes dead (moved to the history); the error is appended
    /// to the job's list either way. Stale tokens change nothing.
    public func fail(_ failures: [Failure], on database: some QueueDatabase) async throws -> FailResult {
        guard !failures.isEmpty else { return FailResult(retried: [], dead: [], refused: []) }
        let ids = failures.map(\.lease.id.rawValue)
        let tokens = failures.map(\.lease.token.rawValue)
        let messages = failures.map(\.message)
        let delays = failures.map { max(0, $0.retryDelayMilliseconds) }
        let rows = try await database.queueRows(
            """
            WITH input AS (
                SELECT * FROM unnest(\(ids)::int8[], \(tokens)::int8[], \(messages)::text[], \(delays)::int8[])
                    AS a(id, token, message, delay_ms)
            ),
            retried AS (
                UPDATE queue_jobs j
                SET state = CASE WHEN a.delay_ms > 0 THEN 'scheduled' ELSE 'available' END,
                    run_at = now() + a.delay_ms * interval '1 millisecond',
                    lease_token = NULL, lease_expires_at = NULL, leased_by = NULL,
                    errors = j.errors || jsonb_build_array(jsonb_build_object('attempt', j.attempt, 'at', now(), 'error', a.message))
                FROM input a
                WHERE j.id = a.id AND j.lease_token = a.token AND j.state = 'running' AND j.attempt < j.max_attempts
                RETURNING j.id
            ),
            died AS (
                DELETE FROM queue_jobs j USING input a
                WHERE j.id = a.id AND j.lease_token = a.token AND j.state = 'running' AND j.attempt >= j.max_attempts
                RETURNING j.*, a.message
            ),
            buried AS (
                INSERT INTO queue_job_history (id, queue, kind, payload, priority, state, attempt, max_attempts,
                                               unique_key, errors, enqueued_at, attempted_at, finished_at)
                SELECT id, queue, kind, payload, priority, 'dead', attempt, max_attempts, unique_key,
                       errors || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', now(), 'error', message)),
                       enqueued_at, attempted_at, now()
                FROM died
                RETURNING id
            )
            SELECT id, true FROM retried UNION ALL SELECT id, false FROM buried
            """,
            logger: logger
        )
        var retried: Set<JobID> = []
        var dead: Set<JobID> = []
        for row in rows {
            let (id, again) = try row.decode((Int64, Bool).self)
            if again { retried.insert(JobID(id)) } else { dead.insert(JobID(id)) }
        }
        let requested = failures.map(\.lease.id)
        return FailResult(
            retried: requested.filter { retried.contains($0) },
            dead: requested.filter { dead.contains($0) },
            refused: requested.filter { !retried.contains($0) && !dead.contains($0) }
        )
    }

    /// Extends the leases of long-running jobs to `now() + leaseMilliseconds`, in one
    /// statement. A refused lease is lost: another worker may run that job now.
    public func heartbeat(_ leases: [Lease], leaseMilliseconds: Int64, on database: some QueueDatabase) async throws -> AcknowledgeResult {
        guard !leases.isEmpty else { return AcknowledgeResult(requested: [], accepted: []) }
        let ids = leases.map(\.id.rawValue)
        let tokens = leases.map(\.token.rawValue)
        let rows = try await database.queueRows(
            """
            UPDATE queue_jobs j
            SET lease_expires_at = now() + \(leaseMilliseconds)::bigint * interval '1 millisecond'
            FROM unnest(\(ids)::int8[], \(tokens)::int8[]) AS a(id, token)
            WHERE j.id = a.id AND j.lease_token = a.token AND j.state = 'running'
            RETURNING j.id
            """,
            logger: logger
        )
        return AcknowledgeResult(requested: leases, accepted: Set(try rows.map { JobID(try $0.decode(Int64.self)) }))
    }

    /// Gives leased jobs back without using up their attempt (a worker shutting down before
    /// they finished), and wakes workers of their queues.
    public func release(_ leases: [Lease], on database: some QueueDatabase) async throws -> AcknowledgeResult {
        guard !leases.isEmpty else { return AcknowledgeResult(requested: [], accepted: []) }
        let ids = leases.map(\.id.rawValue)
        let tokens = leases.map(\.token.rawValue)
        let rows = try await database.queueRows(
            """
            WITH released AS (
                UPDATE queue_jobs j
                SET state = 'available', attempt = greatest(j.attempt - 1, 0),
                    lease_token = NULL, lease_expires_at = NULL, leased_by = NULL
                FROM unnest(\(ids)::int8[], \(tokens)::int8[]) AS a(id, token)
                WHERE j.id = a.id AND j.lease_token = a.token AND j.state = 'running'
                RETURNING j.id, j.queue
            ),
            woken AS (
                SELECT pg_notify(\(Self.notificationChannel), queue) FROM (SELECT DISTINCT queue FROM released) AS q
            )
            SELECT id, (SELECT count(*) FROM woken) FROM released
            """,
            logger: logger
        )
        return AcknowledgeResult(requested: leases, accepted: Set(try rows.map { JobID(try $0.decode((Int64, Int64).self).0) }))
    }
}
