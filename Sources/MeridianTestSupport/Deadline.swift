import Foundation

/// A call that did not end within its deadline and was abandoned.
public struct DeadlinePassed: Error, CustomStringConvertible {
    public let seconds: Double
    public var description: String { "did not end within \(seconds) s (abandoned)" }
}

/// Runs `body`, abandoning it once `seconds` have passed: a test of something that must never
/// hang fails instead of hanging with it. The abandoned call is cancelled but not awaited (a
/// task group would wait for it for ever), so it may go on in the background.
public func withDeadline<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let first = FirstOf<T>()
    let work = Task<Void, Never> {
        do { first.resume(.success(try await body())) } catch { first.resume(.failure(error)) }
    }
    let timer = Task<Void, Never> {
        guard (try? await Task.sleep(for: .seconds(seconds))) != nil else { return }
        if first.resume(.failure(DeadlinePassed(seconds: seconds))) { work.cancel() }
    }
    defer { timer.cancel() }
    return try await withCheckedThrowingContinuation { first.begin($0) }
}

/// Resumes its waiter with the first result it is given, once, whether that comes before or
/// after the waiter is set.
private final class FirstOf<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var pending: Result<T, any Error>?
    private var taken = false

    func begin(_ continuation: CheckedContinuation<T, any Error>) {
        let ready = lock.withLock { () -> Result<T, any Error>? in
            if pending == nil { self.continuation = continuation }
            return pending
        }
        if let ready { continuation.resume(with: ready) }
    }

    /// `false` when a result was given already.
    @discardableResult
    func resume(_ result: Result<T, any Error>) -> Bool {
        let (won, waiting) = lock.withLock { () -> (Bool, CheckedContinuation<T, any Error>?) in
            guard !taken else { return (false, nil) }
            taken = true
            defer { continuation = nil }
            if continuation == nil { pending = result }
            return (true, continuation)
        }
        waiting?.resume(with: result)
        return won
    }
}
