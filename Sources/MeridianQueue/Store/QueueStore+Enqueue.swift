import Foundation
import Logging
import PostgresNIO

extension QueueStore {
    /// Enqueues one job on `database`: inside the caller's transaction when it is a
    /// connection in one, else in a transaction of its own.
    ///
    /// When a job of the same kind with the same unique key waits or runs, nothing is
    /// inserted and that job's id comes back with `inserted == false`.
    @discardableResult
    public func enqueue(_ job: NewJob, on database: some QueueDatabase) async throws -> EnqueueResult {
        try await enqueue([job], on: database)[0]
    }

    /// Readies `database` for enqueues without enqueuing anything: runs the enqueue statement
    /// with no jobs, so it is prepared on the connection, and the server backend has loaded the
    /// queue table, its indexes and its wake-up trigger.
    ///
    /// Call it once when a producer opens its connection. Without it the first enqueue on a
    /// new connection pays that set-up itself: measured at 5–6 ms against about 1 ms for the
    /// ones after it (`meridian bench queue --metric latency`, see the README). On a client,
    /// it readies the pooled connection it is given, which is the one a lone producer's next
    /// enqueue gets back when the pool is otherwise idle.
    public func prepareEnqueue(on database: some QueueDatabase) async throws {
        _ = try await database.queueRows(InsertJobs([]), logger: logger)
    }

    /// Enqueues many jobs in one statement (arrays bound through `unnest`), one result per
    /// job in the order given. Duplicates of a waiting or running unique key, also within
    /// `jobs` itself, return the job that holds the key.
    public func enqueue(_ jobs: [NewJob], on database: some QueueDatabase) async throws -> [EnqueueResult] {
        guard !jobs.isEmpty else { return [] }
        try jobs.forEach(Self.validate)
        var results = [EnqueueResult?](repeating: nil, count: jobs.count)
        var pending = Array(jobs.indices)
        // A key's holder may finish between the insert and the look-up; then the insert is
        // tried again for those jobs. Two rounds settle it unless the holder keeps changing.
        for _ in 0..<5 where !pending.isEmpty {
            let batch = pending.map { jobs[$0] }
            let inserted = try await insert(batch, on: database)
            var keyed: [KeyRef: JobID] = [:]
            var keyless: [JobID] = []
            for row in inserted {
                if let key = row.key { keyed[KeyRef(kind: row.kind, key: key)] = row.id } else { keyless.append(row.id) }
            }
            keyless.sort()
            var nextKeyless = keyless.makeIterator()
            var claimedKeys: Set<KeyRef> = []
            var unresolved: [Int] = []
            for index in pending {
                let job = jobs[index]
                if let key = job.uniqueKey {
                    let ref = KeyRef(kind: job.kind.rawValue, key: key)
                    if let id = keyed[ref] {
                        results[index] = EnqueueResult(id: id, inserted: !claimedKeys.contains(ref))
                        claimedKeys.insert(ref)
                    } else {
                        unresolved.append(index)
                    }
                } else {
                    guard let id = nextKeyless.next() else {
                        throw QueueError(.invalidArgument, "the database returned fewer jobs than were enqueued")
                    }
                    results[index] = EnqueueResult(id: id, inserted: true)
                }
            }
            pending = []
            guard !unresolved.isEmpty else { break }
            let existing = try await holders(of: unresolved.map { jobs[$0] }, on: database)
            for index in unresolved {
                let job = jobs[index]
                if let id = existing[KeyRef(kind: job.kind.rawValue, key: job.uniqueKey!)] {
                    results[index] = EnqueueResult(id: id, inserted: false)
                } else {
                    pending.append(index)
                }
            }
        }
        guard pending.isEmpty else {
            throw QueueError(.wrongState, "the unique keys of \(pending.count) job(s) kept changing hands during enqueue", hint: "enqueue them again")
        }
        return results.map { $0! }
    }

    private struct KeyRef: Hashable {
        var kind: String
        var key: String
    }

    private struct InsertedRow {
        var id: JobID
        var kind: String
        var key: String?
    }

    private func insert(_ jobs: [NewJob], on database: some QueueDatabase) async throws -> [InsertedRow] {
        let rows = try await database.queueRows(InsertJobs(jobs), logger: logger)
        return rows.map { InsertedRow(id: JobID($0.0), kind: $0.1, key: $0.2) }
    }

    /// The enqueue statement, prepared once per connection: its text is the same for one job
    /// or thousands (the jobs travel as arrays), and parsing and planning it on every call
    /// cost about as much as running it, which is what held single enqueues back.
    struct InsertJobs: PostgresPreparedStatement {
        static let name = "meridian_queue_insert_jobs_v1"
        static let sql = """
            INSERT INTO queue_jobs (queue, kind, payload, priority, state, max_attempts, run_at, unique_key)
            SELECT q, k, p::jsonb, pr,
                   CASE WHEN hr AND r > now() THEN 'scheduled' ELSE 'available' END,
                   ma, CASE WHEN hr THEN r ELSE now() END, NULLIF(u, '')
            FROM unnest($1::text[], $2::text[], $3::text[], $4::int2[], $5::bool[], $6::timestamptz[], $7::int4[], $8::text[])
                 WITH ORDINALITY AS t(q, k, p, pr, hr, r, ma, u, ord)
            ORDER BY ord
            ON CONFLICT (kind, unique_key) WHERE unique_key IS NOT NULL DO NOTHING
            RETURNING id, kind, unique_key
            """
        typealias Row = (Int64, String, String?)

        var jobs: [NewJob]

        init(_ jobs: [NewJob]) { self.jobs = jobs }

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 8)
            QueueAddJobs.appendColumns(of: jobs, to: &bindings)
            bindings.append(jobs.map { $0.uniqueKey ?? "" })
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    private func holders(of jobs: [NewJob], on database: some QueueDatabase) async throws -> [KeyRef: JobID] {
        let kinds = jobs.map(\.kind.rawValue)
        let keys = jobs.map { $0.uniqueKey ?? "" }
        let rows = try await database.queueRows(
            """
            SELECT j.id, j.kind, j.unique_key FROM queue_jobs j
            JOIN unnest(\(kinds)::text[], \(keys)::text[]) AS t(k, u) ON j.kind = t.k AND j.unique_key = t.u
            """,
            logger: logger
        )
        var result: [KeyRef: JobID] = [:]
        for row in rows {
            let (id, kind, key) = try row.decode((Int64, String, String).self)
            result[KeyRef(kind: kind, key: key)] = JobID(id)
        }
        return result
    }

    static func validate(_ job: NewJob) throws {
        if job.kind.rawValue.isEmpty { throw QueueError(.invalidArgument, "a job's kind must not be empty") }
        if job.queue.rawValue.isEmpty { throw QueueError(.invalidArgument, "a job's queue name must not be empty") }
        if job.maxAttempts < 1 {
            throw QueueError(.invalidArgument, "max attempts of a \(job.kind) job is \(job.maxAttempts)", hint: "give every job at least 1 attempt")
        }
        if let key = job.uniqueKey, key.isEmpty {
            throw QueueError(.invalidArgument, "a unique key must not be empty", hint: "pass nil for a job without a key")
        }
    }
}
