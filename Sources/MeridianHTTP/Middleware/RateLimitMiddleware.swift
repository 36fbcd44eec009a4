import Foundation
import Hummingbird
import MeridianService
import Synchronization
import HTTPTypes

/// Limits each caller (by token user, else by client address) to a sustained rate with a
/// burst — a token bucket per key, kept in memory of this process. Over the limit: 429 with
/// `Retry-After`.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = MeridianRequestContext
    let buckets: RateBuckets

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let key = Self.key(caller: context.caller, remoteAddress: context.remoteAddress)
        if let wait = buckets.take(key) {
            var headers: HTTPFields = [:]
            headers[.retryAfter] = String(max(1, Int(wait.rounded(.up))))
            return Problem(kind: "rate-limited", title: "Too Many Requests", status: .tooManyRequests,
                           detail: "more than \(Int(buckets.rate)) requests per second for \(context.caller?.handle ?? "anonymous callers"); wait and retry")
                .response(headers: headers)
        }
        return try await next(request, context)
    }

    /// A token's user has her own bucket wherever she calls from; everyone else (the pages'
    /// visitors, who carry a cookie and no token) one per client address, so that one busy
    /// visitor does not slow the others down. Behind a reverse proxy every visitor has the
    /// proxy's address: there the proxy should limit per client (docs/operations.md).
    static func key(caller: Caller?, remoteAddress: String?) -> String {
        if let caller { return "user:\(caller.handle)" }
        return remoteAddress.map { "address:\($0)" } ?? "anonymous"
    }
}

/// Token buckets by key: `rate` tokens per second up to `burst`.
final class RateBuckets: Sendable {
    let rate: Double
    let burst: Double
    private let state = Mutex<[String: (tokens: Double, at: ContinuousClock.Instant)]>([:])

    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
    }

    /// Buckets kept before the full ones are dropped: a full bucket is the same as none, so
    /// dropping it changes no answer, and addresses seen once do not pile up in memory.
    static let pruneAbove = 10_000

    /// How many buckets are kept now.
    var count: Int { state.withLock { $0.count } }

    /// Takes one token for `key`; `nil` when allowed, else the seconds until one is free.
    func take(_ key: String, now: ContinuousClock.Instant = .now) -> Double? {
        state.withLock { buckets in
            if buckets.count >= Self.pruneAbove { Self.dropFull(&buckets, now: now, rate: rate, burst: burst) }
            var bucket = buckets[key] ?? (burst, now)
            bucket.tokens = min(burst, bucket.tokens + Self.seconds(now - bucket.at) * rate)
            bucket.at = now
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                buckets[key] = bucket
                return nil
            }
            buckets[key] = bucket
            return (1 - bucket.tokens) / rate
        }
    }

    /// Removes the buckets that have refilled by `now`; if that is not enough (a flood from
    /// as many addresses), all of them: memory stays bounded, at the price of fresh bursts.
    private static func dropFull(_ buckets: inout [String: (tokens: Double, at: ContinuousClock.Instant)],
                                 now: ContinuousClock.Instant, rate: Double, burst: Double) {
        buckets = buckets.filter { _, bucket in bucket.tokens + seconds(now - bucket.at) * rate < burst }
        if buckets.count >= pruneAbove { buckets = [:] }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
