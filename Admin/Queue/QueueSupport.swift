import MeridianCodes
import ArgumentParser
import Foundation
import MeridianQueue

extension CLIFailure {
    /// The command-line form of a queue error: unknown ids exit 66, refusals 1, bad input 65.
    init(_ error: QueueError) {
        let status: ExitStatus
        switch error.code {
        case .notFound: status = .notFound
        case .invalidArgument: status = .dataError
        default: status = .failure
        }
        self.init(error.description, status: status)
    }
}

/// Runs `body`, turning queue errors into one-line failures with their exit status.
func mappingQueueErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as QueueError {
        throw CLIFailure(error)
    }
}

/// A span of time written as a number and a unit: `90s`, `15m`, `12h`, `7d`, `2w`.
struct DurationArgument: ExpressibleByArgument, Sendable {
    var seconds: Int64

    init?(argument: String) {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        guard let unit = argument.last, let factor = units[unit], let count = Int64(argument.dropLast()), count >= 0 else { return nil }
        let (product, overflow) = count.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        seconds = product
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

extension JobState: ExpressibleByArgument {}

/// Milliseconds as people read them: `850 ms`, `12.3 s`, `4 min`, `3.5 h`.
func humanDuration(milliseconds: Int64) -> String {
    switch milliseconds {
    case ..<1_000: return "\(milliseconds) ms"
    case ..<60_000: return String(format: "%.1f s", Double(milliseconds) / 1_000)
    case ..<3_600_000: return "\(milliseconds / 60_000) min"
    default: return String(format: "%.1f h", Double(milliseconds) / 3_600_000)
    }
}
