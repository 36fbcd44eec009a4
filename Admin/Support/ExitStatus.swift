import ArgumentParser
import Foundation
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianIdentity
import MeridianPostgres
import PostgresNIO
import MeridianQueue

/// The documented exit codes of `meridian`, after BSD's sysexits where one fits.
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    /// The command ran and its answer is "no" (invalid definitions, a refused action).
    case failure = 1
    /// Wrong arguments or flags (swift-argument-parser's own code).
    case usage = 64
    /// Input data is invalid (a malformed file, amount or JSON).
    case dataError = 65
    /// Something named does not exist (an id, a file).
    case notFound = 66
    /// A needed service is unavailable (no server binaries, database unreachable).
    case unavailable = 69
    /// The database or the system is in a state that forbids the action (migrations).
    case conflict = 75
    /// The user lacks the role or the permission.
    case permission = 77

    static var documentation: String {
        "0 success, 1 refused or invalid, 64 usage, 65 bad input data, 66 not found, 69 database or server unavailable, 75 conflicting state, 77 permission denied."
    }
}

/// A failure as the command line shows it: one line and an exit status.
struct CLIFailure: Error, CustomStringConvertible {
    var message: String
    var status: ExitStatus

    init(_ message: String, status: ExitStatus) {
        self.message = message
        self.status = status
    }

    var description: String { message }

    /// Maps the libraries' errors to a line and a status; `nil` for argument-parser's own
    /// errors (help, usage), which it prints itself.
    init?(_ error: any Error) {
        switch error {
        case let failure as CLIFailure:
            self = failure
        case let error as DatabaseError:
            self.init(error.description, status: Self.status(of: error.code))
        case let error as ExchangeError:
            self.init(error.description, status: Self.status(of: error.code))
        case let error as EngineError:
            self.init(error.description, status: Self.status(of: error.code))
        case let error as FundingError:
            self.init(error.description, status: Self.status(of: error.code))
        case let error as IdentityError:
            self.init(error.description, status: Self.status(of: error.code))
        case let error as QueueError:
            self.init(queueError: error)
        case let error as PSQLError:
            if DatabaseUnavailable.isUnavailable(error) {
                self.init("the database is unavailable: \(DatabaseUnavailable.reason(error))",
                          status: .unavailable)
                return
            }
            // PostgresNIO's description hides the server's message; show it.
            self.init("the database refused or failed: \(Migrator.describe(error))", status: .failure)
        case let error where DatabaseUnavailable.isUnavailable(error):
            self.init("the database is unavailable: \(DatabaseUnavailable.reason(error))", status: .unavailable)
        case is CleanExit, is ExitCode, is ValidationError:
            return nil
        default:
            if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") { return nil }
            self.init(String(describing: error), status: .failure)
        }
    }

    private static func status(of code: ExchangeError.Code) -> ExitStatus {
        switch code {
        case .invalidData: return .dataError
        case .notFound: return .notFound
        case .invalidArgument: return .usage
        case .permissionDenied: return .permission
        case .conflict: return .conflict
        default: return .failure
        }
    }

    private static func status(of code: EngineError.Code) -> ExitStatus {
        switch code {
        case .notFound: return .notFound
        case .invalidInput: return .dataError
        case .invalidDefinition: return .failure
        case .conflict, .concurrentChange: return .conflict
        default: return .failure
        }
    }

    private static func status(of code: FundingError.Code) -> ExitStatus {
        switch code {
        case .notFound: return .notFound
        case .invalidInput: return .dataError
        case .conflict: return .conflict
        case .permission: return .permission
        default: return .failure
        }
    }

    private static func status(of code: IdentityError.Code) -> ExitStatus {
        switch code {
        case .unauthenticated, .forbidden: return .permission
        case .notFound: return .notFound
        case .invalid: return .dataError
        case .conflict: return .conflict
        default: return .failure
        }
    }

    private static func status(of code: DatabaseError.Code) -> ExitStatus {
        switch code {
        case .serverBinariesMissing, .clusterFailed, .clusterNotRunning: return .unavailable
        case .invalidURL: return .usage
        case .migrationConflict, .migrationsPending: return .conflict
        default: return .failure
        }
    }
}

extension CLIFailure {
    /// A queue error reached through the engine (`instance retry`), mapped as `meridian queue` maps it.
    init(queueError: QueueError) {
        self = CLIFailure(queueError)
    }
}
