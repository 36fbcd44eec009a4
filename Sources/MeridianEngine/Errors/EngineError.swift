import MeridianCodes

/// A problem the engine reports to its caller: what went wrong, and what to do about it.
///
/// A struct with an opaque ``Code`` rather than an enum, so new kinds of problems can be added
/// without breaking callers that switch over them (the CLI maps codes to exit statuses).
public struct EngineError: MeridianFailure, Sendable {
    /// What kind of problem this is; stable, for callers and exit codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// A named instance, definition, version or incident does not exist.
        public static let notFound = Code(name: "not-found")
        /// Input data is malformed (JSON context or data, amounts).
        public static let invalidInput = Code(name: "invalid-input")
        /// A definition file does not load or does not pass its checks.
        public static let invalidDefinition = Code(name: "invalid-definition")
        /// The action conflicts with what is stored (same version, other content; a key reused
        /// for another event; a migration that cannot be applied).
        public static let conflict = Code(name: "conflict")
        /// The instance changed under the step (the optimistic version check failed).
        public static let concurrentChange = Code(name: "concurrent-change")
        /// A task has no registered handler.
        public static let unknownTask = Code(name: "unknown-task")
        /// The database did not do what the engine's statement asks (a bug, not a race):
        /// never retried as a lost race.
        public static let inconsistent = Code(name: "inconsistent")
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

    public static let domain = "engine"

    /// The kind of each code, decided here once for every front end.
    public var kind: FailureKind {
        switch code {
        case .notFound: .notFound
        case .invalidInput: .invalidData
        case .conflict, .concurrentChange: .conflict
        default: .refused
        }
    }
}
