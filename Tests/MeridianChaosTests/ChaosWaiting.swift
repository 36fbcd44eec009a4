import Foundation
import Synchronization

/// Why a chaos run could not go on (set-up or waiting failed), as opposed to what its checks find.
struct ChaosFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, looking every 100 ms, for at most `seconds`; throws
/// otherwise, saying what the condition last answered or threw and what `explain` tells of
/// the state left (a failed wait must say why, or the next run cannot be told apart).
func waitUntil(_ what: String, within seconds: Double, explain: (() async -> String)? = nil,
               _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    var lastError: (any Error)?
    while ContinuousClock.now < deadline {
        do {
            if try await condition() { return }
            lastError = nil
        } catch {
            lastError = error
        }
        try await Task.sleep(for: .milliseconds(100))
    }
    var reason = "waited \(Int(seconds)) s in vain for \(what)"
    if let lastError { reason += "; the last look failed: \(String(reflecting: lastError))" }
    if let explain { reason += "; \(await explain())" }
    throw ChaosFailure(reason)
}

/// Runs `body`, abandoning it after `seconds`: a call that hangs while the server is down
/// (seen: a pooled query that never returns after a crash, deaf to cancellation) must not
/// stall the run. The abandoned call is cancelled but not awaited — a structured task group
/// would wait for it for ever — so it may still finish later; the idempotency keys make
/// that harmless, and the checks afterwards would see it if it were not.
func withTimeout<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let once = Once<T>()
    let work = Task<T, any Error> { try await body() }
    return try await withCheckedThrowingContinuation { continuation in
        once.set(continuation)
        let timer = Task {
            try? await Task.sleep(for: .seconds(seconds))
            guard !Task.isCancelled, let waiting = once.take() else { return }
            work.cancel()
            await ChaosHangs.shared.record()
            waiting.resume(throwing: ChaosFailure("a call took longer than \(Int(seconds)) s and was abandoned"))
        }
        Task {
            let result = await work.result
            let waiting = once.take()
            timer.cancel()
            waiting?.resume(with: result)
        }
    }
}

/// A continuation resumed once, by whichever of the call and its timer comes first.
private final class Once<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)
    func set(_ value: CheckedContinuation<T, any Error>) { continuation.withLock { $0 = value } }
    func take() -> CheckedContinuation<T, any Error>? { continuation.withLock { $0.take() } }
}

/// How many calls were abandoned by ``withTimeout(_:_:)`` in this process.
actor ChaosHangs {
    static let shared = ChaosHangs()
    private(set) var count = 0
    func record() { count += 1 }
}
