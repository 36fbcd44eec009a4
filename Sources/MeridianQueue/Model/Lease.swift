import Foundation

/// A fencing token: drawn anew for every claim, so a worker whose lease expired (and whose
/// job another worker has since claimed) holds a token that no longer matches anything.
public struct LeaseToken: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// A job's identity together with the token of the lease its holder claimed it with: what
/// completing, failing, heartbeating and releasing need.
public struct Lease: Hashable, Sendable {
    public var id: JobID
    public var token: LeaseToken

    public init(id: JobID, token: LeaseToken) {
        self.id = id
        self.token = token
    }
}

/// A job a worker has claimed, with its lease.
public struct ClaimedJob: Sendable {
    public var id: JobID
    public var kind: JobKind
    public var queue: QueueName
    public var payload: JobPayload
    public var priority: Int16
    /// When it was due.
    public var runAt: Date
    /// This attempt's number, starting at 1.
    public var attempt: Int32
    public var maxAttempts: Int32
    public var lease: Lease
    public var leaseExpiresAt: Date
    public var enqueuedAt: Date

    public init(
        id: JobID, kind: JobKind, queue: QueueName, payload: JobPayload, priority: Int16, runAt: Date,
        attempt: Int32, maxAttempts: Int32, lease: Lease, leaseExpiresAt: Date, enqueuedAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.queue = queue
        self.payload = payload
        self.priority = priority
        self.runAt = runAt
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.lease = lease
        self.leaseExpiresAt = leaseExpiresAt
        self.enqueuedAt = enqueuedAt
    }

    /// Whether a failure of this attempt makes the job dead.
    public var isLastAttempt: Bool { attempt >= maxAttempts }
}
