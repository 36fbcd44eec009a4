import Foundation
import Logging
import PostgresNIO

extension QueueStore {
    /// Claims up to `limit` available jobs of `queue`, by priority then run-at, skipping rows
    /// other workers hold locked. Each gets a lease until `now() + leaseMilliseconds` and a
    /// fresh fencing token; its attempt count goes up by one.
    ///
    /// The claim commits without waiting for its WAL flush (`synchronous_commit = off` for
    /// this transaction only): if the server crashes before the flush, the claim is lost and
    /// the jobs are simply claimable again, which at-least-once delivery allows anyway. It
    /// saves one disk flush between a job's enqueue and its start. (Inside a caller's own
    /// transaction the setting applies to that transaction: claim on a client or alone.)
    ///
    /// - Parameter kinds: only jobs of these kinds (the ones the worker has handlers for);
    ///   empty means any kind.
    public func claim(
        queue: QueueName,
        limit: Int,
        kinds: [JobKind] = [],
        leaseMilliseconds: Int64,
        workerID: String,
        on database: some QueueDatabase
    ) async throws -> [ClaimedJob] {
        guard limit > 0 else { return [] }
        let rows = try await database.queueRows(
            ClaimJobs(queue: queue.rawValue, kinds: kinds.map(\.rawValue), limit: Int64(limit), leaseMilliseconds: leaseMilliseconds, workerID: workerID),
            logger: logger
        )
        var jobs = rows.map { row in
            let (id, kind, payload, priority, runAt, attempt, maxAttempts, token, expires, enqueued, _) = row
            return ClaimedJob(
                id: JobID(id), kind: JobKind(kind), queue: queue, payload: JobPayload(json: payload),
                priority: priority, runAt: runAt, attempt: attempt, maxAttempts: maxAttempts,
                lease: Lease(id: JobID(id), token: LeaseToken(token)), leaseExpiresAt: expires, enqueuedAt: enqueued
            )
        }
        // UPDATE … RETURNING does not promise the sub-select's order.
        jobs.sort { ($0.priority, $0.runAt, $0.id) < ($1.priority, $1.runAt, $1.id) }
        return jobs
    }

    /// The claim, prepared once per connection: an idle worker's wake-up is one claim, and
    /// parsing and planning it on every call put a few hundred microseconds between an
    /// enqueue and the job's start.
    struct ClaimJobs: PostgresPreparedStatement {
        static let name = "meridian_queue_claim_jobs_v1"
        static let sql = """
            WITH picked AS (
                SELECT id FROM queue_jobs
                WHERE queue = $1 AND state = 'available' AND run_at <= now()
                  AND (cardinality($2::text[]) = 0 OR kind = ANY($2::text[]))
                ORDER BY priority, run_at, id
                LIMIT $3
                FOR UPDATE SKIP LOCKED
            )
            UPDATE queue_jobs j
            SET state = 'running', attempt = j.attempt + 1, lease_token = nextval('queue_lease_token_seq'),
                lease_expires_at = now() + $4::bigint * interval '1 millisecond',
                leased_by = $5, attempted_at = now()
            FROM picked WHERE j.id = picked.id
            RETURNING j.id, j.kind, j.payload::text, j.priority, j.run_at, j.attempt, j.max_attempts,
                      j.lease_token, j.lease_expires_at, j.enqueued_at,
                      (SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous_commit
            """
        typealias Row = (Int64, String, String, Int16, Date, Int32, Int32, Int64, Date, Date, String)

        var queue: String
        var kinds: [String]
        var limit: Int64
        var leaseMilliseconds: Int64
        var workerID: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(queue)
            bindings.append(kinds)
            bindings.append(limit)
            bindings.append(leaseMilliseconds)
            bindings.append(workerID)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// What ``promoteDue(queue:on:)`` did and found.
    public struct Promotion: Sendable {
        /// Scheduled jobs whose time had come and that are claimable now.
        public var promoted: Int
        /// The earliest run-at of the jobs still scheduled, if any.
        public var nextRunAt: Date?
    }

    /// Makes the scheduled jobs of `queue` whose run-at has come claimable, and tells when the
    /// next one is due (so a worker sleeps exactly until then).
    public func promoteDue(queue: QueueName, on database: some QueueDatabase) async throws -> Promotion {
        let rows = try await database.queueRows(PromoteDue(queue: queue.rawValue), logger: logger)
        return Promotion(promoted: Int(rows[0].0), nextRunAt: rows[0].1)
    }

    /// The promotion, prepared once per connection: an idle worker runs it after every claim
    /// that emptied the queue.
    struct PromoteDue: PostgresPreparedStatement {
        static let name = "meridian_queue_promote_due_v1"
        static let sql = """
            WITH promoted AS (
                UPDATE queue_jobs SET state = 'available'
                WHERE id IN (
                    SELECT id FROM queue_jobs
                    WHERE queue = $1 AND state = 'scheduled' AND run_at <= now()
                    ORDER BY run_at LIMIT 10000 FOR UPDATE SKIP LOCKED
                )
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM promoted),
                   (SELECT min(run_at) FROM queue_jobs WHERE queue = $1 AND state = 'scheduled' AND run_at > now())
            """
        typealias Row = (Int64, Date?)

        var queue: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(queue)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
