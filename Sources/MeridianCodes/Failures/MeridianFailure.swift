/// What every Meridian module's error is: a code of the module's own (stable, for logs and
/// tests), the kind that code belongs to, one line saying what went wrong and why, what to do
/// about it, and the error it was made from.
///
/// Each module keeps its own error type and codes (the PostgresNIO idiom: an opaque code plus
/// context) and decides once, in its error's ``kind``, which kind each code is. Front ends
/// never look at a module's codes: they read ``kind`` through this protocol.
public protocol MeridianFailure: Error, CustomStringConvertible {
    associatedtype Code: Hashable & Sendable & CustomStringConvertible

    /// The module's code for this failure.
    var code: Code { get }
    /// What went wrong and why, in one line.
    var message: String { get }
    /// What to do about it, when there is something to say.
    var hint: String? { get }
    /// The kind of failure, for exit statuses and HTTP problem types.
    var kind: FailureKind { get }
    /// The error this one was made from (a database or decoding error), kept for logs and
    /// debugging; never shown to a user, whose line is ``message``.
    var underlying: (any Error)? { get }
    /// The module's name in logs (`funding`, `engine`, …).
    static var domain: String { get }
}

extension MeridianFailure {
    /// The message, then the hint: the one line a front end prints.
    public var description: String {
        guard let hint else { return message }
        return "\(message); \(hint)"
    }

    public var hint: String? { nil }
    public var underlying: (any Error)? { nil }

    /// `domain.code`, as logs name the failure.
    public var qualifiedCode: String { "\(Self.domain).\(code)" }
}
