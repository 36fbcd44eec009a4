import Foundation
import Hummingbird
import HummingbirdTesting
import MeridianHTTP
import MeridianDomainTestSupport
import MeridianIdentity
import MeridianService
import MeridianTestSupport
import Testing

/// The server as `meridian serve` assembles it — a service with a ``TokenCache`` and its
/// listener — refuses a revoked token or a disabled user at once when the change goes through
/// its API, and once the notification has arrived when another client makes it.
@Suite struct TokenCacheHTTPTests {
    @Test func revokesAndDisablesReachTheCachedServer() async throws {
        try await ServiceFixture.with { f in
            let cache = TokenCache(maximumAge: .seconds(600))
            let service = try MeridianService(client: f.client, logger: f.logger, tokenCache: cache)
            try await TokenCacheListener(cache: cache, settings: f.database.settings, logger: f.logger).whileListening {
                try await exercise(f, service: service, cache: cache)
            }
        }
    }

    private func exercise(_ f: ServiceFixture, service: MeridianService, cache: TokenCache) async throws {
        try await eventually("the listener connects", within: 20) { cache.isListening }
        let admin = try await f.caller(.admin)
        let extra = try await service.identity(for: admin).createToken(for: "amani", label: "second", expiresAt: nil)
        let app = Application(router: try MeridianServer.responder(service: service))
        try await app.test(.router) { client in
            let amani = f.tokens[.requestingOfficial]!
            #expect(try await HTTPCall.get("/api/v1/me").send(client, token: amani).status == 200)
            #expect(try await HTTPCall.get("/api/v1/me").send(client, token: extra.secret).status == 200)

            // Through this server: refused on the very next request.
            let tokens = try await service.identity(for: admin).tokens(for: "amani")
            let first = try #require(tokens.first { $0.label == "test" })
            #expect(try await HTTPCall.delete("/api/v1/tokens/\(first.id)").send(client, token: f.tokens[.admin]!).status == 200)
            #expect(try await HTTPCall.get("/api/v1/me").send(client, token: amani).status == 401)

            // Through another client (the fixture's service has no cache): refused once notified.
            #expect(try await HTTPCall.get("/api/v1/me").send(client, token: extra.secret).status == 200)
            _ = try await f.service.identity(for: admin).disable(handle: "amani")
            try await eventually("the disable's notification arrives", within: 10) {
                try await HTTPCall.get("/api/v1/me").send(client, token: extra.secret).status == 401
            }
        }
    }
}
