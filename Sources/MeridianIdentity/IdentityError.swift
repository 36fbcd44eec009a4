import MeridianCodes

/// A problem with users, roles or tokens, told so that a person can act.
///
/// A struct with an opaque ``Code`` rather than an enum, so new kinds of problems do not
/// break callers that switch over them (the CLI maps codes to exit statuses).
public struct IdentityError: MeridianFailure, Sendable {
    /// What kind of problem this is; stable, for callers and exit codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// No usable token: missing, unknown, revoked, expired, or its user is disabled.
        public static let unauthenticated = Code(name: "unauthenticated")
        /// The user is known but may not do this (not an admin, not her token).
        public static let forbidden = Code(name: "forbidden")
        /// A named user or token does not exist.
        public static let notFound = Code(name: "not-found")
        /// A handle, role, country, name, label or date is malformed.
        public static let invalid = Code(name: "invalid")
        /// The action conflicts with what is stored (a taken handle, the last admin, a disabled user).
        public static let conflict = Code(name: "conflict")
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

    public static let domain = "identity"

    /// The kind of each code, decided here once for every front end.
    public var kind: FailureKind {
        switch code {
        case .unauthenticated: .unauthenticated
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .invalid: .invalidData
        case .conflict: .conflict
        default: .refused
        }
    }
}
