import MeridianCodes
import Foundation
import Logging
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianIdentity
import MeridianQueue
import PostgresNIO

/// The one place that assembles Meridian and decides who may do what.
///
/// Every action a person takes is one method that takes the authenticated ``Caller``: the CLI,
/// the HTTP API and the pages call these methods and nothing below them, so a rule written here
/// holds for every front end. The service assembles the engine with every domain's task
/// handlers (``DomainPlugins``), so an event fired through it runs its in-step tasks.
public struct MeridianService: Sendable {
    /// The pooled database client every action runs on.
    public let client: PostgresClient
    public let logger: Logger
    /// The engine with every domain's handlers.
    public let engine: WorkflowEngine
    /// The exchange domain's actions over ``engine``.
    public let exchanges: Exchanges
    /// The tokens verified a moment ago, for a server (`meridian serve` runs its
    /// ``TokenCacheListener``); `nil` looks every token up, as the CLI and most tests do.
    public let tokenCache: TokenCache?
    /// Views of exchanges read a moment ago, for a server (`meridian serve` runs its
    /// ``ExchangeViewChangeFeed``); `nil` reads every view from the database.
    public let exchangeViewCache: ExchangeViewCache?
    /// The catalogue in memory for matching (one per service, so one per process): `kb match`,
    /// the API and the engine's matching task rank with it.
    public let matchIndex: MatchIndex

    /// Assembles the engine over `client` with every domain's handlers.
    /// - Parameters:
    ///   - engineConfiguration: the clock and queue to use (a test's manual clock); every
    ///     domain's plugin is added to it and its task handlers replace any it had.
    ///   - tokenCache: verified tokens to reuse; whoever passes one runs its listener.
    ///   - exchangeViewCache: views of exchanges to reuse; whoever passes one runs its feed.
    public init(client: PostgresClient, logger: Logger, engineConfiguration: WorkflowEngine.Configuration? = nil,
                tokenCache: TokenCache? = nil, exchangeViewCache: ExchangeViewCache? = nil) throws {
        self.client = client
        self.logger = logger
        self.tokenCache = tokenCache
        self.exchangeViewCache = exchangeViewCache
        var configuration = engineConfiguration ?? WorkflowEngine.Configuration()
        for plugin in DomainPlugins.plugins { configuration.add(plugin) }
        let matchIndex = MatchIndex()
        self.matchIndex = matchIndex
        configuration.tasks = DomainPlugins.tasks(client: client, logger: logger, matchIndex: matchIndex)
        self.engine = try WorkflowEngine(client: client, configuration: configuration, logger: logger)
        self.exchanges = Exchanges(engine: engine, logger: logger)
    }

    /// The user behind `token`, as a caller of this service.
    /// - Throws: ``ServiceError`` `.unauthenticated` for an unknown, revoked or expired token or a
    ///   disabled user (the message never says which, so a guessed token learns nothing).
    public func authenticate(token: String) async throws -> Caller {
        do {
            return Caller(try await IdentityStore(client: client, logger: logger, tokenCache: tokenCache).authenticate(token: token))
        } catch let error as IdentityError where error.code == .unauthenticated {
            throw ServiceError(.unauthenticated, error.description)
        }
    }

    /// Queue handlers for `meridian worker` and `serve --workers`: `handlers` plus the engine's
    /// (timers, queued tasks).
    public func workerHandlers(adding handlers: JobHandlers = JobHandlers()) -> JobHandlers {
        let engineHandlers = engine.jobHandlers()
        var all = handlers
        for kind in engineHandlers.kinds {
            if let handler = engineHandlers.handler(for: kind) { all.register(kind, handler) }
        }
        return all
    }
}
