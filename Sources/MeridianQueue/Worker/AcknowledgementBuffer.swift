import Logging
import Synchronization

/// Finished jobs waiting to be acknowledged: bodies append here and go on; one flusher turns
/// everything gathered into one `complete` and one `fail` statement.
///
/// This is what lets a worker finish thousands of jobs per second with a few statements: the
/// longer a flush takes, the more the next one carries.
final class AcknowledgementBuffer: Sendable {
    private struct State {
        var completions: [Lease] = []
        var failures: [Failure] = []
        var flushing = false
    }

    private let state = Mutex(State())
    /// Signalled when the buffer stops being empty or reaches a batch.
    let ready = WakeSignal()
    private let batchSize: Int

    init(batchSize: Int) {
        self.batchSize = batchSize
    }

    func complete(_ lease: Lease) {
        let count = state.withLock { state -> Int in
            state.completions.append(lease)
            return state.completions.count + state.failures.count
        }
        if count == 1 || count == batchSize { ready.signal() }
    }

    func fail(_ failure: Failure) {
        let count = state.withLock { state -> Int in
            state.failures.append(failure)
            return state.completions.count + state.failures.count
        }
        if count == 1 || count == batchSize { ready.signal() }
    }

    var count: Int { state.withLock { $0.completions.count + $0.failures.count } }

    /// Takes up to `limit` completions and failures out.
    func take(limit: Int) -> (completions: [Lease], failures: [Failure]) {
        state.withLock { state in
            let completions = Array(state.completions.prefix(limit))
            state.completions.removeFirst(completions.count)
            let failures = Array(state.failures.prefix(max(0, limit - completions.count)))
            state.failures.removeFirst(failures.count)
            return (completions, failures)
        }
    }

    /// Puts back what a failed flush could not acknowledge, to try again.
    func putBack(completions: [Lease], failures: [Failure]) {
        state.withLock { state in
            state.completions.insert(contentsOf: completions, at: 0)
            state.failures.insert(contentsOf: failures, at: 0)
        }
    }
}
