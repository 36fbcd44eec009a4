import Synchronization

/// The leases a worker holds for jobs whose bodies are running: the source of heartbeats and
/// of what a shutdown gives back. Removing a lease is how a body's end and a release decide,
/// exactly once, who acknowledges the job.
final class InFlightJobs: Sendable {
    struct Entry: Sendable {
        var lease: Lease
        var queue: QueueName
        var started: ContinuousClock.Instant
    }

    private let entries = Mutex<[JobID: Entry]>([:])

    init() {}

    func insert(_ job: ClaimedJob) {
        let entry = Entry(lease: job.lease, queue: job.queue, started: .now)
        entries.withLock { $0[job.id] = entry }
    }

    /// Removes the job's lease; `false` when it was already taken away (released or lost),
    /// in which case the body's outcome must not be acknowledged.
    func remove(_ lease: Lease) -> Bool {
        entries.withLock { entries in
            guard entries[lease.id]?.lease == lease else { return false }
            entries[lease.id] = nil
            return true
        }
    }

    /// Leases of jobs running for longer than `age`.
    func leases(olderThan age: Duration) -> [Lease] {
        let cutoff = ContinuousClock.now - age
        return entries.withLock { $0.values.filter { $0.started <= cutoff }.map(\.lease) }
    }

    /// Takes every lease of `queue` (or all queues) out, for a release.
    func removeAll(queue: QueueName? = nil) -> [Lease] {
        entries.withLock { entries in
            let taken = entries.values.filter { queue == nil || $0.queue == queue }
            for entry in taken { entries[entry.lease.id] = nil }
            return taken.map(\.lease)
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
