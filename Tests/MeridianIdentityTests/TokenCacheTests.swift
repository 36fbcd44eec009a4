import Foundation
import Logging
import MeridianDomainTestSupport
@testable import MeridianIdentity
import MeridianPostgres
import MeridianTestSupport
import PostgresNIO
import Testing

/// A server's cache of verified tokens (issue 13) never lets a revoked token, a disabled user
/// or old roles through once the change is known: at once for a change made through the same
/// store, on the next request after the notification for one made by another client, and at
/// no time while the listener is down (then every request reads the database).
@Suite("Token cache")
struct TokenCacheTests {
    @Test("a token revoked or a user disabled by another client is refused once the notification has arrived")
    func otherClientsChanges() async throws {
        try await withListeningCache { store, cached, cache, database in
            _ = try await store.addUser(handle: "admin", name: "Admin", roles: [.admin], country: nil)
            _ = try await store.addUser(handle: "lucia", name: "Lucía", roles: [.programManager], country: nil)
            let first = try await store.createToken(for: "lucia", label: nil, expiresAt: nil)
            let second = try await store.createToken(for: "lucia", label: nil, expiresAt: nil)
            #expect(try await cached.authenticate(token: first.secret).handle == "lucia")
            #expect(try await cached.authenticate(token: second.secret).handle == "lucia")
            #expect(cache.user(forHash: TokenSecret.hash(first.secret))?.handle == "lucia", "the token is kept")

            // As `meridian token revoke` run locally would: its own client, no cache.
            try await withOtherClient(database) { other in _ = try await other.revokeToken(first.info.id) }
            try await eventually("the revoke's notification empties the cache", within: 10) {
                cache.user(forHash: TokenSecret.hash(first.secret)) == nil
            }
            let revoked = await identityError { _ = try await cached.authenticate(token: first.secret) }
            #expect(revoked?.message.hasPrefix("the token was revoked at") == true)

            #expect(try await cached.authenticate(token: second.secret).roles == [.programManager])
            try await withOtherClient(database) { other in
                _ = try await other.setRoles(handle: "lucia", roles: [.supervisor], country: nil)
            }
            try await eventually("the change of roles empties the cache", within: 10) {
                cache.user(forHash: TokenSecret.hash(second.secret)) == nil
            }
            #expect(try await cached.authenticate(token: second.secret).roles == [.supervisor], "the new roles, not the kept ones")

            try await withOtherClient(database) { other in _ = try await other.disable(handle: "lucia") }
            try await eventually("the disable's notification empties the cache", within: 10) {
                cache.user(forHash: TokenSecret.hash(second.secret)) == nil
            }
            let disabled = await identityError { _ = try await cached.authenticate(token: second.secret) }
            #expect(disabled?.message == "the token's user 'lucia' is disabled")
        }
    }

    @Test("a revoke or a disable through the same store is refused at once, without waiting for the notification")
    func ownChanges() async throws {
        try await withListeningCache { store, cached, cache, _ in
            let admin = try await store.addUser(handle: "admin", name: "Admin", roles: [.admin], country: nil)
            _ = try await store.addUser(handle: "lucia", name: "Lucía", roles: [.programManager], country: nil)
            let first = try await store.createToken(for: "lucia", label: nil, expiresAt: nil)
            let second = try await store.createToken(for: "lucia", label: nil, expiresAt: nil)
            _ = try await cached.authenticate(token: first.secret)
            _ = try await cached.authenticate(token: second.secret)

            try await cached.acting(as: admin).revokeToken(first.info.id)
            let revoked = await identityError { _ = try await cached.authenticate(token: first.secret) }
            #expect(revoked?.message.hasPrefix("the token was revoked at") == true)

            #expect(try await cached.authenticate(token: second.secret).handle == "lucia")
            _ = try await cached.acting(as: admin).disable(handle: "lucia")
            let disabled = await identityError { _ = try await cached.authenticate(token: second.secret) }
            #expect(disabled?.message == "the token's user 'lucia' is disabled")
            #expect(cache.isListening)
        }
    }

    @Test("while the listener is down every request checks the database")
    func listenerDown() async throws {
        try await withIdentity { store, database in
            _ = try await store.addUser(handle: "lucia", name: "Lucía", roles: [.programManager], country: nil)
            let issued = try await store.createToken(for: "lucia", label: nil, expiresAt: nil)

            // Never connected (a server starting up): nothing is kept.
            let idle = TokenCache(maximumAge: .seconds(600))
            let cached = IdentityStore(client: store.client, logger: store.logger, tokenCache: idle)
            _ = try await cached.authenticate(token: issued.secret)
            #expect(idle.user(forHash: TokenSecret.hash(issued.secret)) == nil)

            // Connected, then its connection lost: the cache is off until the listener is back
            // (a minute here), and a revoke whose notification nobody hears is still refused.
            let cache = TokenCache(maximumAge: .seconds(600))
            let listener = TokenCacheListener(cache: cache, settings: database.settings, logger: database.logger, retryDelay: .seconds(60))
            try await listener.whileListening {
                try await eventually("the listener connects", within: 20) { cache.isListening }
                let withCache = IdentityStore(client: store.client, logger: store.logger, tokenCache: cache)
                _ = try await withCache.authenticate(token: issued.secret)
                #expect(cache.user(forHash: TokenSecret.hash(issued.secret)) != nil)
                _ = try await store.client.query(
                    """
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE pid <> pg_backend_pid() AND datname = current_database() AND query ILIKE 'LISTEN%meridian_identity%'
                    """,
                    logger: store.logger
                ).collect()
                try await eventually("the listener notices its connection is gone", within: 20) { !cache.isListening }
                #expect(cache.user(forHash: TokenSecret.hash(issued.secret)) == nil)
                _ = try await withCache.authenticate(token: issued.secret)
                #expect(cache.user(forHash: TokenSecret.hash(issued.secret)) == nil, "nothing is kept while it is down")
                _ = try await store.revokeToken(issued.info.id)
                let refused = await identityError { _ = try await withCache.authenticate(token: issued.secret) }
                #expect(refused?.message.hasPrefix("the token was revoked at") == true)
            }
        }
    }

    @Test("a read that began before a change is not kept, and nothing outlives its maximum age or its token")
    func racesAndAges() async throws {
        let user = User(id: UUID(), handle: "lucia", name: "Lucía", roles: [.programManager], country: nil, disabled: false, createdAt: Date())
        let cache = TokenCache(maximumAge: .milliseconds(200))
        cache.listenerConnected()
        let ticket = try #require(cache.ticket())
        cache.forgetAll()  // a revoke arrived while the read was on its way
        cache.keep(user, forHash: "a", tokenExpiresAt: nil, ticket: ticket)
        #expect(cache.user(forHash: "a") == nil)

        cache.keep(user, forHash: "a", tokenExpiresAt: nil, ticket: try #require(cache.ticket()))
        cache.keep(user, forHash: "b", tokenExpiresAt: Date().addingTimeInterval(-1), ticket: try #require(cache.ticket()))
        #expect(cache.user(forHash: "a") == user)
        #expect(cache.user(forHash: "b") == nil, "its token has expired")
        try await eventually("the entry ages out", within: 5) { cache.user(forHash: "a") == nil }

        cache.keep(user, forHash: "a", tokenExpiresAt: nil, ticket: try #require(cache.ticket()))
        cache.listenerLost()
        #expect(cache.ticket() == nil && cache.user(forHash: "a") == nil)
        cache.listenerConnected()
        #expect(cache.user(forHash: "a") == nil, "it starts empty when the listener is back")
    }

    @Test("a token that expires while kept is refused")
    func expiryWhileKept() async throws {
        try await withListeningCache { store, cached, _, _ in
            _ = try await store.addUser(handle: "ana", name: "Ana", roles: [.fundApprover], country: nil)
            let issued = try await store.createToken(for: "ana", label: nil, expiresAt: Date().addingTimeInterval(1.5))
            #expect(try await cached.authenticate(token: issued.secret).handle == "ana")
            try await Task.sleep(for: .milliseconds(1_700))
            let expired = await identityError { _ = try await cached.authenticate(token: issued.secret) }
            #expect(expired?.message.hasPrefix("the token expired at") == true)
        }
    }
}

/// A fresh database, a cache whose listener is connected, and two stores on one client: one
/// without the cache (for setting up) and one with it (the server's).
private func withListeningCache(
    _ body: (IdentityStore, IdentityStore, TokenCache, TestDatabase) async throws -> Void
) async throws {
    try await withIdentity { store, database in
        let cache = TokenCache(maximumAge: .seconds(600))
        let listener = TokenCacheListener(cache: cache, settings: database.settings, logger: database.logger)
        try await listener.whileListening {
            try await eventually("the listener connects", within: 20) { cache.isListening }
            try await body(store, IdentityStore(client: store.client, logger: store.logger, tokenCache: cache), cache, database)
        }
    }
}

/// Runs `body` with a store on a client of its own, as another process would have.
private func withOtherClient(_ database: TestDatabase, _ body: (IdentityStore) async throws -> Void) async throws {
    try await withPostgresClient(database.settings, logger: database.logger) { client in
        try await body(IdentityStore(client: client, logger: database.logger))
    }
}
