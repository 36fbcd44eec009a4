import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianIdentity
import MeridianPostgres
import MeridianQueue
import PostgresNIO

/// A failure as every front end reports it: one kind and one line.
///
/// Each module keeps its own error type with its own codes (the PostgresNIO idiom); this is the
/// one place that sorts them into the few kinds a person or a program acts on. The CLI maps a
/// kind to an exit status, the HTTP API to a status code and an RFC 9457 problem type, so the two
/// never disagree about what went wrong.
public struct ServiceError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure, stable across releases (the API's problem `type` ends with it).
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public var description: String { name }

        /// The request is malformed (a bad id, a missing option).
        public static let invalidArgument = Kind(name: "invalid-argument")
        /// The data is invalid (a malformed file, amount, JSON or field).
        public static let invalidData = Kind(name: "invalid-data")
        /// Something named does not exist — or the caller may not know that it exists.
        public static let notFound = Kind(name: "not-found")
        /// No valid credentials.
        public static let unauthenticated = Kind(name: "unauthenticated")
        /// The caller lacks the role or the permission.
        public static let forbidden = Kind(name: "forbidden")
        /// The state forbids the action now (it moved on, a key is reused, migrations pending).
        public static let conflict = Kind(name: "conflict")
        /// The rules said no (a self-approval, not enough money, a second vote).
        public static let refused = Kind(name: "refused")
        /// The database or another needed service is unreachable.
        public static let unavailable = Kind(name: "unavailable")
        /// A defect or an unexpected failure; the message says what, without internals.
        public static let failure = Kind(name: "failure")

        public static let all: [Kind] = [.invalidArgument, .invalidData, .notFound, .unauthenticated, .forbidden, .conflict, .refused, .unavailable, .failure]
    }

    public var kind: Kind
    /// One line: what, why, what to do.
    public var message: String
    /// The module error this was classified from, kept for logs.
    public var underlying: String?

    public init(_ kind: Kind, _ message: String, underlying: String? = nil) {
        self.kind = kind
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}

extension ServiceError {
    /// Sorts any module's error into a kind; `nil` for errors no module of Meridian throws
    /// (the front end's own, such as the argument parser's).
    public static func classify(_ error: any Error) -> ServiceError? {
        switch error {
        case let error as ServiceError:
            return error
        case let error as ExchangeError:
            return ServiceError(kind(of: error.code), error.description, underlying: "exchange.\(error.code)")
        case let error as EngineError:
            return ServiceError(kind(of: error.code), error.description, underlying: "engine.\(error.code)")
        case let error as FundingError:
            return ServiceError(kind(of: error.code), error.description, underlying: "funding.\(error.code)")
        case let error as IdentityError:
            return ServiceError(kind(of: error.code), error.description, underlying: "identity.\(error.code)")
        case let error as DatabaseError:
            return ServiceError(kind(of: error.code), error.description, underlying: "database.\(error.code)")
        case let error as QueueError:
            return ServiceError(kind(of: error.code), error.description, underlying: "queue.\(error.code)")
        case let error as PSQLError where DatabaseUnavailable.isUnavailable(error):
            return ServiceError(.unavailable, "the database is unavailable: \(DatabaseUnavailable.reason(error)); try again when it is back", underlying: "postgres")
        case let error as PSQLError:
            let lost = error.code == .connectionError || error.code == .serverClosedConnection
            // Class 22 is a value the database cannot take (a NUL byte, a number out of range):
            // bad input that slipped past the checks in Swift, never a server failure.
            if error.serverInfo?[.sqlState]?.hasPrefix("22") == true {
                return ServiceError(.invalidData, "a value was refused: \(error.serverInfo?[.message] ?? "invalid data"); correct it and try again", underlying: "postgres")
            }
            return ServiceError(lost ? .unavailable : .failure, "the database refused or failed: \(Migrator.describe(error))", underlying: "postgres")
        case let error where DatabaseUnavailable.isUnavailable(error):
            return ServiceError(.unavailable, "the database is unavailable: \(DatabaseUnavailable.reason(error)); try again when it is back", underlying: "postgres")
        default:
            return nil
        }
    }

    private static func kind(of code: ExchangeError.Code) -> Kind {
        switch code {
        case .invalidData: .invalidData
        case .notFound: .notFound
        case .invalidArgument: .invalidArgument
        case .permissionDenied: .forbidden
        case .conflict: .conflict
        default: .refused
        }
    }

    private static func kind(of code: EngineError.Code) -> Kind {
        switch code {
        case .notFound: .notFound
        case .invalidInput: .invalidData
        case .conflict, .concurrentChange: .conflict
        default: .refused
        }
    }

    private static func kind(of code: FundingError.Code) -> Kind {
        switch code {
        case .notFound: .notFound
        case .invalidInput: .invalidData
        case .conflict: .conflict
        case .permission: .forbidden
        default: .refused
        }
    }

    private static func kind(of code: IdentityError.Code) -> Kind {
        switch code {
        case .unauthenticated: .unauthenticated
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .invalid: .invalidData
        case .conflict: .conflict
        default: .refused
        }
    }

    private static func kind(of code: DatabaseError.Code) -> Kind {
        switch code {
        case .serverBinariesMissing, .clusterFailed, .clusterNotRunning, .timedOut: .unavailable
        case .invalidURL: .invalidArgument
        case .migrationConflict, .migrationsPending: .conflict
        default: .failure
        }
    }

    private static func kind(of code: QueueError.Code) -> Kind {
        switch code {
        case .notFound: .notFound
        case .invalidArgument: .invalidData
        default: .refused
        }
    }
}
