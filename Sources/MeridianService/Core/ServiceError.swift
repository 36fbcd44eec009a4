import MeridianCodes
import MeridianPostgres
import PostgresNIO

/// A failure as every front end reports it: one kind and one line.
///
/// Each module keeps its own error type with its own codes (the PostgresNIO idiom), each a
/// ``MeridianFailure`` that says its ``FailureKind``; this wraps them, and the few database
/// errors that reach a front end unwrapped, into one value. The CLI maps a kind to an exit
/// status, the HTTP API to a status code and an RFC 9457 problem type — each in one table —
/// so the two never disagree about what went wrong.
public struct ServiceError: Error, CustomStringConvertible, Sendable {
    /// The kinds of failure (``FailureKind``), named as the service's own.
    public typealias Kind = FailureKind

    public var kind: Kind
    /// One line: what, why, what to do.
    public var message: String
    /// The error this was classified from (a module's error, a `PSQLError`), kept for logs.
    public var underlying: (any Error)?

    public init(_ kind: Kind, _ message: String, underlying: (any Error)? = nil) {
        self.kind = kind
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }

    /// What logs name the failure by: the module's qualified code, else the kind.
    public var logCode: String {
        (underlying as? any MeridianFailure)?.qualifiedCode ?? (underlying is PSQLError ? "postgres" : kind.name)
    }
}

extension ServiceError {
    /// Sorts any error into a kind; `nil` for errors no module of Meridian throws (the front
    /// end's own, such as the argument parser's).
    public static func classify(_ error: any Error) -> ServiceError? {
        switch error {
        case let error as ServiceError:
            return error
        case let error as any MeridianFailure:
            return ServiceError(error.kind, error.description, underlying: error)
        case let error as PSQLError where DatabaseUnavailable.isUnavailable(error):
            return ServiceError(.unavailable, "the database is unavailable: \(DatabaseUnavailable.reason(error)); try again when it is back", underlying: error)
        case let error as PSQLError:
            let lost = error.code == .connectionError || error.code == .serverClosedConnection
            // Class 22 is a value the database cannot take (a NUL byte, a number out of range):
            // bad input that slipped past the checks in Swift, never a server failure.
            if error.serverInfo?[.sqlState]?.hasPrefix("22") == true {
                return ServiceError(.invalidData, "a value was refused: \(error.serverInfo?[.message] ?? "invalid data"); correct it and try again", underlying: error)
            }
            return ServiceError(lost ? .unavailable : .failure, "the database refused or failed: \(Migrator.describe(error))", underlying: error)
        case let error where DatabaseUnavailable.isUnavailable(error):
            return ServiceError(.unavailable, "the database is unavailable: \(DatabaseUnavailable.reason(error)); try again when it is back", underlying: error)
        default:
            return nil
        }
    }
}
