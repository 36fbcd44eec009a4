import Foundation

/// A job to enqueue.
public struct NewJob: Sendable {
    public var kind: JobKind
    public var payload: JobPayload
    public var queue: QueueName
    /// Lower runs first; jobs of equal priority run in `runAt` order.
    public var priority: Int16
    /// When the job may start; `nil` means now (the database's clock).
    public var runAt: Date?
    /// How many attempts it gets before it is dead (at least 1).
    public var maxAttempts: Int32
    /// While a job of the same kind with this key waits or runs, enqueueing another returns
    /// the existing one instead of adding a second; once it has finished, the key is free.
    public var uniqueKey: String?

    public init(
        kind: JobKind,
        payload: JobPayload = .empty,
        queue: QueueName = .default,
        priority: Int16 = 0,
        runAt: Date? = nil,
        maxAttempts: Int32 = 20,
        uniqueKey: String? = nil
    ) {
        self.kind = kind
        self.payload = payload
        self.queue = queue
        self.priority = priority
        self.runAt = runAt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
    }
}

/// What an enqueue did for one job.
public struct EnqueueResult: Sendable, Hashable {
    public var id: JobID
    /// `false` when a waiting or running job with the same kind and unique key was returned.
    public var inserted: Bool

    public init(id: JobID, inserted: Bool) {
        self.id = id
        self.inserted = inserted
    }
}
