import MeridianCodes

/// A problem the funding module reports: what went wrong and why, and what to do about it.
///
/// A struct with an opaque ``Code`` (as `EngineError`), so the CLI maps codes to exit statuses
/// and new kinds do not break callers.
public struct FundingError: MeridianFailure, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// A fund, grant or payment instruction does not exist.
        public static let notFound = Code(name: "not-found")
        /// Input is malformed (an amount, a date, an IBAN, a file).
        public static let invalidInput = Code(name: "invalid-input")
        /// A rule refuses the action: not enough money, separation of duties, a grant too large.
        public static let refused = Code(name: "refused")
        /// The action conflicts with what is stored (a reference reused for other content, a wrong status).
        public static let conflict = Code(name: "conflict")
        /// The person lacks the role the action needs.
        public static let permission = Code(name: "permission")
    }

    public var code: Code
    public var message: String
    public var hint: String?
    /// The error this one was made from, for logs (never shown).
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, hint: String? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.underlying = underlying
    }

    public static let domain = "funding"

    /// The kind of each code, decided here once for every front end.
    public var kind: FailureKind {
        switch code {
        case .notFound: .notFound
        case .invalidInput: .invalidData
        case .conflict: .conflict
        case .permission: .forbidden
        default: .refused
        }
    }
}
