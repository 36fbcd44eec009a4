import Synchronization

/// One clock for every request's deadline: a request registers what to do at its deadline
/// and removes it when it is answered, instead of starting a task that sleeps until then
/// (a task, a timer and a cancellation per request were 1–2 % of a busy server's time).
///
/// A single ticking task runs while some deadline is registered and ends when none is left,
/// so an idle server has none. It looks every ``tick`` (a tenth of the timeout, between 5 and
/// 250 ms), so a deadline fires at most one tick late.
final class DeadlineTicker: Sendable {
    private struct State {
        var deadlines: [UInt64: (at: ContinuousClock.Instant, fire: @Sendable () -> Void)] = [:]
        var nextID: UInt64 = 0
        var ticking = false
    }

    let tick: Duration
    private let state = Mutex(State())

    /// - Parameter timeout: the deadlines' usual distance, which sets the tick.
    init(timeout: Duration) {
        tick = min(max(timeout / 10, .milliseconds(5)), .milliseconds(250))
    }

    /// Calls `fire` once `deadline` has passed, unless ``remove(_:)`` is called first.
    /// - Returns: what to give ``remove(_:)``.
    func add(_ deadline: ContinuousClock.Instant, fire: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, start) = state.withLock { state -> (UInt64, Bool) in
            state.nextID &+= 1
            state.deadlines[state.nextID] = (deadline, fire)
            defer { state.ticking = true }
            return (state.nextID, !state.ticking)
        }
        if start { Task { await self.run() } }
        return id
    }

    /// Forgets a deadline; one fired or removed already is ignored.
    func remove(_ id: UInt64) {
        _ = state.withLock { $0.deadlines.removeValue(forKey: id) }
    }

    /// Ticks until no deadline is left, firing those that have passed.
    private func run() async {
        while true {
            try? await Task.sleep(for: tick)
            let now = ContinuousClock.now
            let due = state.withLock { state -> [@Sendable () -> Void]? in
                if state.deadlines.isEmpty {
                    state.ticking = false
                    return nil
                }
                var due: [@Sendable () -> Void] = []
                for (id, deadline) in state.deadlines where deadline.at <= now {
                    due.append(deadline.fire)
                    state.deadlines[id] = nil
                }
                return due
            }
            guard let due else { return }
            for fire in due { fire() }
        }
    }
}
