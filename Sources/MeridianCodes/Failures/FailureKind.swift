/// The few kinds of failure a person or a program acts on, whatever module failed.
///
/// Every module's error sorts its own codes into these (``MeridianFailure/kind``); the CLI maps
/// a kind to an exit status and the HTTP API to a status code and an RFC 9457 problem type,
/// each in one table, so the front ends never disagree about what went wrong. Opaque like
/// PostgresNIO's `PSQLError.Code`: new kinds do not break callers that switch over them.
public struct FailureKind: Hashable, Sendable, CustomStringConvertible {
    /// Stable across releases: the API's problem `type` ends with it.
    public let name: String
    public var description: String { name }

    private init(name: String) { self.name = name }

    /// The request is malformed (a bad id, a missing option).
    public static let invalidArgument = FailureKind(name: "invalid-argument")
    /// The data is invalid (a malformed file, amount, JSON or field).
    public static let invalidData = FailureKind(name: "invalid-data")
    /// Something named does not exist — or the caller may not know that it exists.
    public static let notFound = FailureKind(name: "not-found")
    /// No valid credentials.
    public static let unauthenticated = FailureKind(name: "unauthenticated")
    /// The caller lacks the role or the permission.
    public static let forbidden = FailureKind(name: "forbidden")
    /// The state forbids the action now (it moved on, a key is reused, migrations pending).
    public static let conflict = FailureKind(name: "conflict")
    /// The rules said no (a self-approval, not enough money, a second vote).
    public static let refused = FailureKind(name: "refused")
    /// The database or another needed service is unreachable.
    public static let unavailable = FailureKind(name: "unavailable")
    /// A defect or an unexpected failure; the message says what, without internals.
    public static let failure = FailureKind(name: "failure")

    public static let all: [FailureKind] = [.invalidArgument, .invalidData, .notFound, .unauthenticated, .forbidden, .conflict, .refused, .unavailable, .failure]
}
