/// Where a job is in its life. The first three live in the hot table, the last three in the
/// history.
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Waiting for its `run_at` (a scheduled job, or a retry backing off).
    case scheduled
    /// Claimable now.
    case available
    /// Leased by a worker.
    case running
    /// Finished successfully.
    case completed
    /// Failed its last attempt (or its lease expired on the last attempt); errors kept.
    case dead
    /// Cancelled by an operator before it finished.
    case cancelled

    /// Whether the job is still in the hot table (waiting or running).
    public var isActive: Bool { self == .scheduled || self == .available || self == .running }
}
