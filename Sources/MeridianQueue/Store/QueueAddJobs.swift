import Foundation
import PostgresNIO

/// Jobs enqueued by another module's statement, through the database function
/// `queue_add_jobs` (migration 0010), so that its rows and its jobs are written in one round
/// trip: the engine's step write is such a statement.
///
/// The caller puts ``call(firstParameter:)`` into its SQL and appends the bindings; the
/// queue's table stays the queue's business. Unique keys are not supported here (settling a
/// key conflict needs ``QueueStore/enqueue(_:on:)-(_,_)``'s look-up and retry).
public struct QueueAddJobs: Sendable {
    public let jobs: [NewJob]

    /// The number of parameters ``append(to:)`` binds.
    public static let parameterCount = 7

    /// Checks `jobs` as ``QueueStore/enqueue(_:on:)-(_,_)`` does, and refuses unique keys.
    public init(_ jobs: [NewJob]) throws {
        for job in jobs {
            try QueueStore.validate(job)
            if job.uniqueKey != nil {
                throw QueueError(.invalidArgument, "a \(job.kind) job with a unique key cannot be added by another statement",
                                 hint: "enqueue it with QueueStore.enqueue")
            }
        }
        self.jobs = jobs
    }

    /// The function call with its parameters numbered from `first`: a set of the new job ids.
    public static func call(firstParameter first: Int) -> String {
        let types = ["text[]", "text[]", "text[]", "int2[]", "bool[]", "timestamptz[]", "int4[]"]
        let arguments = types.enumerated().map { "$\(first + $0.offset)::\($0.element)" }
        return "queue_add_jobs(\(arguments.joined(separator: ", ")))"
    }

    /// Appends the ``parameterCount`` array parameters, in the order ``call(firstParameter:)`` numbers them.
    public func append(to bindings: inout PostgresBindings) {
        Self.appendColumns(of: jobs, to: &bindings)
    }

    /// The jobs as seven arrays, one per column: how both `queue_add_jobs` and the enqueue
    /// statement take them.
    static func appendColumns(of jobs: [NewJob], to bindings: inout PostgresBindings) {
        bindings.append(jobs.map(\.queue.rawValue))
        bindings.append(jobs.map(\.kind.rawValue))
        bindings.append(jobs.map(\.payload.json))
        bindings.append(jobs.map(\.priority))
        bindings.append(jobs.map { $0.runAt != nil })
        bindings.append(jobs.map { $0.runAt ?? Date(timeIntervalSince1970: 0) })
        bindings.append(jobs.map(\.maxAttempts))
    }
}
