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
        let key = context.caller.map { "user:\($0.handle)" } ?? "anonymous"
        if let wait = buckets.take(key) {
            var headers: HTTPFields = [:]
            headers[.retryAfter] = String(max(1, Int(wait.rounded(.up))))
            return Problem(kind: "rate-limited", title: "Too Many Requests", status: .tooManyRequests,
                           detail: "more than \(Int(buckets.rate)) requests per second for \(context.caller?.handle ?? "anonymous callers"); wait and retry")
                .response(headers: headers)
        }
        return try await next(request, context)
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

    /// Takes one token for `key`; `nil` when allowed, else the seconds until one is free.
    func take(_ key: String, now: ContinuousClock.Instant = .now) -> Double? {
        state.withLock { buckets in
            var bucket = buckets[key] ?? (burst, now)
            let elapsed = Double((now - bucket.at).components.attoseconds) / 1e18 + Double((now - bucket.at).components.seconds)
            bucket.tokens = min(burst, bucket.tokens + elapsed * rate)
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
}
