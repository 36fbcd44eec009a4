import Foundation
import Testing

/// Polls `condition` every 50 ms until it holds or `seconds` pass; records an issue on timeout.
@discardableResult
public func eventually(
    _ what: String, within seconds: Double = 60, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    // The condition is asked once more after the last sleep: on a loaded host a sleeping test
    // may wake after the deadline, and giving up then, unasked, failed tests whose condition
    // had long been true.
    while true {
        if try await condition() { return true }
        if Date() >= deadline { break }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("timed out after \(seconds) s waiting for: \(what)", sourceLocation: sourceLocation)
    return false
}
