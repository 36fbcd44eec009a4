import Foundation
import HTTPTypes
import HummingbirdTesting
@testable import MeridianHTTP
import MeridianIdentity
import MeridianService
import Testing

/// Each token's user, and each client address without a token, has a bucket of its own: past
/// its burst a caller gets 429 with `Retry-After`, and nobody else is slowed by it.
@Suite struct RateLimitTests {
    @Test func aBucketAllowsItsBurstThenRefillsAtItsRate() {
        let buckets = RateBuckets(rate: 2, burst: 3)
        let start = ContinuousClock.now
        #expect((0..<3).map { _ in buckets.take("a", now: start) } == [nil, nil, nil])
        let wait = buckets.take("a", now: start)
        #expect(wait.map { abs($0 - 0.5) < 0.001 } == true, "\(String(describing: wait))")
        #expect(buckets.take("b", now: start) == nil, "another key has its own bucket")
        #expect(buckets.take("a", now: start + .milliseconds(500)) == nil, "one token back after half a second at 2/s")
        #expect(buckets.take("a", now: start + .milliseconds(500)) != nil)
    }

    @Test func tokensUsersAndAddressesAreKeptApart() {
        let caller = Caller(User(id: UUID(), handle: "amani", name: "Amani", roles: [.official], country: "COD", disabled: false, createdAt: Date()))
        #expect(RateLimitMiddleware.key(caller: caller, remoteAddress: "10.0.0.1") == "user:amani")
        #expect(RateLimitMiddleware.key(caller: nil, remoteAddress: "10.0.0.1") == "address:10.0.0.1")
        #expect(RateLimitMiddleware.key(caller: nil, remoteAddress: "10.0.0.2") != RateLimitMiddleware.key(caller: nil, remoteAddress: "10.0.0.1"))
        #expect(RateLimitMiddleware.key(caller: nil, remoteAddress: nil) == "anonymous")
    }

    @Test func bucketsOfAddressesSeenOnceDoNotPileUp() {
        let buckets = RateBuckets(rate: 100, burst: 10)
        let start = ContinuousClock.now
        for index in 0..<RateBuckets.pruneAbove { _ = buckets.take("address:\(index)", now: start) }
        #expect(buckets.count == RateBuckets.pruneAbove)
        // A second later every one of them has refilled: the next take drops them all but its own.
        _ = buckets.take("address:new", now: start + .seconds(1))
        #expect(buckets.count == 1)
    }

    @Test func aCallerPastItsBurstGets429AndOthersDoNot() async throws {
        try await ServiceFixture.with { f in
            try await f.withAPI(configuration: .init(rateLimitPerSecond: 0.01, rateLimitBurst: 2)) { client in
                let amani = f.tokens[.requestingOfficial]!, pat = f.tokens[.programManager]!
                #expect(try await HTTPCall.get("/api/v1/me").send(client, token: amani).status == 200)
                #expect(try await HTTPCall.get("/api/v1/me").send(client, token: amani).status == 200)
                let refused = try await HTTPCall.get("/api/v1/me").send(client, token: amani)
                #expect(refused.status == 429 && refused.problem?.type == Problem.typePrefix + "rate-limited", "\(refused.body)")
                #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
                #expect(try await HTTPCall.get("/api/v1/me").send(client, token: pat).status == 200, "another user is not slowed")
            }
        }
    }
}
