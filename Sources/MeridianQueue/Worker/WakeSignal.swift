import Synchronization

/// A coalescing wake-up: any number of signals while nobody waits leave one pending wake-up,
/// so a burst of notifications costs one claim, not one per notification. Also the exchange
/// view cache's feed's (a read while it is idle, a writer waiting), so no wake-up that comes
/// before a wait is lost.
public final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var cancelRequested = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Wakes the waiter, or leaves a wake-up pending for the next wait.
    public func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the next signal (at once if one is pending), after `timeout`, or when the
    /// task is cancelled, whichever comes first: `true` when a signal ended the wait.
    @discardableResult
    public func wait(timeout: Duration) async -> Bool {
        let consumed = state.withLock { state -> Bool in
            guard state.pending else { return false }
            state.pending = false
            return true
        }
        if consumed { return true }
        if timeout <= .zero { return false }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitForSignal() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let signalled = await group.next() ?? false
            group.cancelAll()
            return signalled
        }
    }

    /// `true` when a signal (not a cancellation) resumed it.
    private func waitForSignal() async -> Bool {
        state.withLock { $0.cancelRequested = false }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || state.cancelRequested {
                        state.pending = false
                        state.cancelRequested = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let waiter = state.waiter else {
                    state.cancelRequested = true
                    return nil
                }
                state.waiter = nil
                return waiter
            }
            waiter?.resume()
        }
        return !Task.isCancelled
    }
}
