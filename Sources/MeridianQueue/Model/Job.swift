import Foundation

/// A job as the operator sees it, in the hot table or the history.
public struct Job: Sendable, Codable {
    public var id: JobID
    public var queue: QueueName
    public var kind: JobKind
    /// The payload's JSON text.
    public var payload: String
    public var priority: Int16
    public var state: JobState
    public var attempt: Int32
    public var maxAttempts: Int32
    public var runAt: Date?
    public var uniqueKey: String?
    public var leaseToken: LeaseToken?
    public var leaseExpiresAt: Date?
    public var leasedBy: String?
    public var errors: [JobError]
    public var enqueuedAt: Date
    public var attemptedAt: Date?
    public var finishedAt: Date?
}

/// One failed attempt, as kept with the job.
public struct JobError: Sendable, Codable, Hashable {
    public var attempt: Int32
    public var at: String
    public var error: String
}
