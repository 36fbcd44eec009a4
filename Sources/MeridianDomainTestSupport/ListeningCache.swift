import MeridianExchange
import MeridianIdentity

extension TokenCacheListener {
    /// Runs `body` while this listener listens, then stops it and waits until its connection
    /// is closed, so a test's database is never dropped under an open LISTEN connection.
    public func whileListening(_ body: () async throws -> Void) async throws {
        let listening = Task { await self.listen() }
        do {
            try await body()
        } catch {
            listening.cancel()
            await listening.value
            throw error
        }
        listening.cancel()
        await listening.value
    }
}

extension ExchangeViewChangeFeed {
    /// Runs `body` while this feed runs, then stops it and waits until its connection is
    /// closed (as ``TokenCacheListener/whileListening(_:)``).
    public func whileFeeding(_ body: () async throws -> Void) async throws {
        let feeding = Task { await self.feed() }
        do {
            try await body()
        } catch {
            feeding.cancel()
            await feeding.value
            throw error
        }
        feeding.cancel()
        await feeding.value
    }
}
