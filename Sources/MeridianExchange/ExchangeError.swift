import MeridianCodes

/// A problem in the exchange domain (knowledge base, matching, exchanges), told so that a person can act.
///
/// A struct with an opaque ``Code`` rather than an enum, so new kinds of problems do not
/// break callers that switch over them.
public struct ExchangeError: MeridianFailure, Sendable {
    /// What kind of problem this is; stable, for callers and exit codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// Input data (a file, a request) is invalid; ``ExchangeError/diagnostics`` says where.
        public static let invalidData = Code(name: "invalid-data")
        /// Something named (an experience id, a file) does not exist.
        public static let notFound = Code(name: "not-found")
        /// The arguments of a call are unusable (an unknown sector, a negative weight).
        public static let invalidArgument = Code(name: "invalid-argument")
        /// The acting person may not see or do this (another country's exchange, a missing role).
        public static let permissionDenied = Code(name: "permission-denied")
        /// The exchange is not in a state that allows the action (a plan outside planning, a
        /// partner chosen twice); the workflow's own refusals come as this code too.
        public static let conflict = Code(name: "conflict")
        /// The action was understood and refused (nothing to approve here, a self-approval):
        /// the command's answer is "no" (exit status 1).
        public static let refused = Code(name: "refused")
    }

    public var code: Code
    /// What went wrong and why.
    public var message: String
    /// What to do about it, when there is something to do.
    public var hint: String?
    /// The error this one was made from, for logs (never shown).
    public var underlying: (any Error)?
    /// Every problem found in input data, each with its location, in file order.
    public var diagnostics: [ImportDiagnostic]

    public init(_ code: Code, _ message: String, hint: String? = nil, diagnostics: [ImportDiagnostic] = [], underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.diagnostics = diagnostics
        self.underlying = underlying
    }

    public static let domain = "exchange"

    /// The kind of each code, decided here once for every front end.
    public var kind: FailureKind {
        switch code {
        case .invalidData: .invalidData
        case .notFound: .notFound
        case .invalidArgument: .invalidArgument
        case .permissionDenied: .forbidden
        case .conflict: .conflict
        default: .refused
        }
    }
}
