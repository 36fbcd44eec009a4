import MeridianCodes

/// A problem with a queue operation, told so that a person can act on it.
///
/// A struct with an opaque ``Code`` (not an enum), so new kinds of problems do not break
/// callers that switch over them.
public struct QueueError: MeridianFailure, Sendable {
    /// What kind of problem this is; stable, for callers and exit codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// No job has the given id (in the hot table or the history).
        public static let notFound = Code(name: "not-found")
        /// The job exists but is in a state that forbids the action (e.g. retrying a running job).
        public static let wrongState = Code(name: "wrong-state")
        /// An argument is out of range (empty kind, payload that is not JSON, max attempts < 1).
        public static let invalidArgument = Code(name: "invalid-argument")
    }

    public var code: Code
    /// What went wrong and why.
    public var message: String
    /// What to do about it, when there is something to do.
    public var hint: String?
    /// The error this one was made from, for logs (never shown).
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, hint: String? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.underlying = underlying
    }

    public static let domain = "queue"

    /// The kind of each code, decided here once for every front end.
    public var kind: FailureKind {
        switch code {
        case .notFound: .notFound
        case .invalidArgument: .invalidData
        default: .refused
        }
    }
}
