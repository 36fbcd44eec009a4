/// How `meridian serve` listens and what it allows one request; the defaults suit a server
/// behind a reverse proxy on the same host.
public struct ServerConfiguration: Sendable {
    /// The address to listen on (`127.0.0.1`: loopback only; put a TLS proxy in front for others).
    public var host: String
    public var port: Int
    /// The largest request body accepted (413 above it).
    public var maxBodyBytes: Int
    /// How long one request may take before it is answered 503 and its work cancelled.
    public var requestTimeout: Duration
    /// Requests per token (or per client address without one) per second, sustained.
    public var rateLimitPerSecond: Double
    /// Requests a token may make at once above the sustained rate.
    public var rateLimitBurst: Double
    /// Whether browsers reach the server over TLS (a proxy terminating it): the web pages'
    /// cookies are then marked `Secure` (`meridian serve --secure-cookies`).
    public var secureCookies: Bool

    public init(host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 1 << 20, requestTimeout: Duration = .seconds(30),
                rateLimitPerSecond: Double = 200, rateLimitBurst: Double = 400, secureCookies: Bool = false) {
        self.secureCookies = secureCookies
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.requestTimeout = requestTimeout
        self.rateLimitPerSecond = rateLimitPerSecond
        self.rateLimitBurst = rateLimitBurst
    }
}
