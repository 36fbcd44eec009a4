import Synchronization

/// Waits for a job's body at most `limit`.
///
/// Returns the body's result, or `nil` when the limit passed first; the body is then
/// cancelled but not awaited. A body that ignores cancellation (seen: a pooled query that
/// never returns after the database server crashed) would otherwise hold its slot and, through
/// the heartbeats, its lease for ever, so that no other worker could ever run the job. If it
/// does finish later, nothing comes of it: the attempt was already failed, and its lease's
/// fencing token no longer acknowledges anything. Cancelling the caller cancels the body.
func result<T: Sendable>(of body: Task<T, Never>, within limit: Duration) async -> T? {
    await withTaskCancellationHandler {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let once = ResumeOnce(continuation)
            let timer = Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled, once.resume(returning: nil) else { return }
                body.cancel()
            }
            Task {
                let value = await body.value
                timer.cancel()
                once.resume(returning: value)
            }
        }
    } onCancel: {
        body.cancel()
    }
}

/// A continuation resumed once, by whichever of the body and its timer comes first.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T?, Never>?>

    init(_ continuation: CheckedContinuation<T?, Never>) {
        self.continuation = Mutex(continuation)
    }

    /// Resumes with `value` unless already resumed; says whether it did.
    @discardableResult
    func resume(returning value: T?) -> Bool {
        guard let continuation = continuation.withLock({ $0.take() }) else { return false }
        continuation.resume(returning: value)
        return true
    }
}
