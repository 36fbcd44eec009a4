import Logging
import MeridianPostgres
import PostgresNIO
import ServiceLifecycle

/// Keeps a ``TokenCache`` honest: one LISTEN connection on ``TokenCache/notificationChannel``,
/// emptying the cache on every notification (a token or a user changed, anywhere). The cache
/// is used only while this connection is up; when it is lost the cache is switched off and
/// emptied, and the listener connects again a second later. A ServiceLifecycle `Service`:
/// it stops on graceful shutdown.
public struct TokenCacheListener: Service {
    private let cache: TokenCache
    private let settings: ConnectionSettings
    private let logger: Logger
    private let retryDelay: Duration

    /// - Parameters:
    ///   - settings: where to open the LISTEN connection (the server's own database).
    ///   - retryDelay: the wait before connecting again after the connection failed or was lost.
    public init(cache: TokenCache, settings: ConnectionSettings, logger: Logger, retryDelay: Duration = .seconds(1)) {
        self.cache = cache
        self.settings = settings
        self.logger = logger
        self.retryDelay = retryDelay
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.listen()
        }
    }

    /// Listens until cancelled, connecting again after each loss.
    public func listen() async {
        while !Task.isCancelled {
            do {
                try await withPostgresConnection(settings, logger: logger) { connection in
                    try await connection.listen(on: TokenCache.notificationChannel) { notifications in
                        // LISTEN has succeeded: from here no change can pass unseen.
                        cache.listenerConnected()
                        defer { cache.listenerLost() }
                        for try await _ in notifications { cache.forgetAll() }
                    }
                }
            } catch {
                cache.listenerLost()
                if Task.isCancelled { return }
                logger.warning("the token cache's LISTEN connection was lost; every request checks its token in the database until it is back",
                               metadata: ["error": "\(String(reflecting: error))"])
            }
            cache.listenerLost()
            try? await Task.sleep(for: retryDelay)
        }
    }
}
