/// Limits how many test databases are in use at once.
///
/// Swift Testing runs every test of every suite in parallel; on a 2-core machine, dozens of
/// tests each with a connection pool and worker processes exhaust the server's connections
/// and starve each other of CPU. A few at a time finish sooner and never fail for want of a
/// connection.
actor TestSlots {
    static let shared = TestSlots(limit: 6)

    private let limit: Int
    private var inUse = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = limit
    }

    nonisolated func withSlot<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the slot straight to the next waiter, or frees it.
    private func release() {
        if waiting.isEmpty {
            inUse -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
