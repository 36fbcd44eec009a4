import MeridianCodes
import ArgumentParser
import Foundation
import MeridianQueue
import MeridianService

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

    /// Maps the libraries' errors to a line and a status through the service's one
    /// classification (the HTTP API maps the same kinds to its status codes); `nil` for
    /// argument-parser's own errors (help, usage), which it prints itself.
    init?(_ error: any Error) {
        switch error {
        case let failure as CLIFailure:
            self = failure
        case is CleanExit, is ExitCode, is ValidationError:
            return nil
        default:
            if let classified = ServiceError.classify(error) {
                self.init(classified.message, status: Self.status(of: classified.kind))
                return
            }
            if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") { return nil }
            self.init(String(describing: error), status: .failure)
        }
    }

    /// The exit status of each kind of failure.
    static func status(of kind: ServiceError.Kind) -> ExitStatus {
        switch kind {
        case .invalidArgument: .usage
        case .invalidData: .dataError
        case .notFound: .notFound
        case .unauthenticated, .forbidden: .permission
        case .conflict: .conflict
        case .unavailable: .unavailable
        default: .failure
        }
    }
}

extension CLIFailure {
    /// A queue error reached through the engine (`instance retry`), mapped as `meridian queue` maps it.
    init(queueError: QueueError) {
        self = CLIFailure(queueError)
    }
}
