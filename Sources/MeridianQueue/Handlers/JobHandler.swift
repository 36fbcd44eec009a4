import Logging

/// The code that runs jobs of one kind.
///
/// Returning completes the job; throwing fails this attempt (the job is retried with backoff
/// or, after its last attempt, becomes dead with the error kept). A handler should honour
/// task cancellation: a worker shutting down cancels bodies that outlive its deadline and
/// gives their jobs back.
public protocol JobHandler: Sendable {
    func handle(_ job: ClaimedJob, logger: Logger) async throws
}

/// A handler made of a closure.
public struct ClosureJobHandler: JobHandler {
    let body: @Sendable (ClaimedJob, Logger) async throws -> Void

    public init(_ body: @escaping @Sendable (ClaimedJob, Logger) async throws -> Void) {
        self.body = body
    }

    public func handle(_ job: ClaimedJob, logger: Logger) async throws {
        try await body(job, logger)
    }
}
