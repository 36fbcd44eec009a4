import MeridianExchange
import MeridianIdentity

/// Runs `body` while `work` (a cache's listener or feed) runs in a task of its own, then cancels
/// it and waits until it has ended, so a test's database is never dropped under its open
/// connection.
private func whileRunning(_ work: @escaping @Sendable () async -> Void, _ body: () async throws -> Void) async throws {
    let running = Task { await work() }
    do {
        try await body()
    } catch {
        running.cancel()
        await running.value
        throw error
    }
    running.cancel()
    await running.value
}

extension TokenCacheListener {
    /// Runs `body` while this listener listens.
    public func whileListening(_ body: () async throws -> Void) async throws {
        try await whileRunning({ await self.listen() }, body)
    }
}

extension ExchangeViewChangeFeed {
    /// Runs `body` while this feed asks.
    public func whileFeeding(_ body: () async throws -> Void) async throws {
        try await whileRunning({ await self.feed() }, body)
    }
}
