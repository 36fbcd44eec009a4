import Hummingbird
import Logging
import MeridianService
import MeridianWeb
import Prometheus

/// The HTTP server of `meridian serve`: the JSON API `/api/v1` over the service, with
/// `/healthz`, `/readyz` and `/metrics`, and the officials' web pages (``WebPages``) at the root.
///
/// Every route calls the service and nothing below it. Around the routes, from the outside in:
/// metrics, the access log, security headers, problem documents for every error, a refusal of
/// control characters in paths and queries, authentication by bearer token, a rate limit per
/// caller, and a wait after writes until the exchange view cache knows of them. Around the router, ``RequestTimeout`` answers a request that takes too long.
public enum MeridianServer {
    /// The router with every route and middleware, without the timeout (``responder(service:configuration:registry:)``).
    /// - Throws: when the web pages' bundled templates or catalogues are missing (a broken build).
    public static func router(service: MeridianService, configuration: ServerConfiguration = .init(),
                              registry: PrometheusCollectorRegistry = .init()) throws -> Router<MeridianRequestContext> {
        try router(service: service, configuration: configuration, registry: registry,
                   pages: try WebPages(service: service, secureCookies: configuration.secureCookies))
    }

    static func router(service: MeridianService, configuration: ServerConfiguration, registry: PrometheusCollectorRegistry,
                       pages: WebPages) throws -> Router<MeridianRequestContext> {
        let router = Router(context: MeridianRequestContext.self)
        router.add(middleware: MetricsMiddleware(registry: registry))
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: InputHygieneMiddleware())
        router.add(middleware: AuthenticationMiddleware(service: service))
        router.add(middleware: RateLimitMiddleware(buckets: RateBuckets(rate: configuration.rateLimitPerSecond, burst: configuration.rateLimitBurst)))
        router.add(middleware: ReadYourWritesMiddleware(cache: service.exchangeViewCache))

        OperationsRoutes(service: service, registry: registry).add(to: router)
        let api = router.group("api/v1")
        let limit = configuration.maxBodyBytes
        ExchangeRoutes(service: service, limit: limit).add(to: api)
        ConversationRoutes(service: service).add(to: api)
        FundingRoutes(service: service, limit: limit).add(to: api)
        KnowledgeRoutes(service: service, limit: limit).add(to: api)
        ExportRoutes(service: service).add(to: api)
        EngineRoutes(service: service, limit: limit).add(to: api)
        IdentityRoutes(service: service, limit: limit).add(to: api)
        InviteRoutes(service: service, limit: limit).add(to: api)
        pages.add(to: router)
        return router
    }

    /// The router within its timeout: what `application` serves and tests drive.
    public static func responder(service: MeridianService, configuration: ServerConfiguration = .init(),
                                 registry: PrometheusCollectorRegistry = .init()) throws -> RequestTimeout<Router<MeridianRequestContext>> {
        let pages = try WebPages(service: service, secureCookies: configuration.secureCookies)
        return RequestTimeout(try router(service: service, configuration: configuration, registry: registry, pages: pages),
                              timeout: configuration.requestTimeout, registry: registry, pageAnswer: pages.timedOutPage)
    }

    /// The application serving ``responder(service:configuration:registry:)`` on the configured
    /// address; run it in a ServiceGroup, which stops it gracefully on SIGTERM/SIGINT.
    public static func application(service: MeridianService, configuration: ServerConfiguration = .init(),
                                   logger: Logger) throws -> some ApplicationProtocol {
        Application(
            router: try responder(service: service, configuration: configuration),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "meridian"),
            logger: logger
        )
    }
}
