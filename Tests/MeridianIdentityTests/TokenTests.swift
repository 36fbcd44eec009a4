import Foundation
import MeridianDomainTestSupport
import MeridianIdentity
import MeridianTestSupport
import PostgresNIO
import Testing

/// Creating, using, revoking and expiring tokens; what the database keeps of them.
@Suite("Tokens")
struct TokenTests {
    @Test("a token authenticates its user until it is revoked")
    func createAuthenticateRevoke() async throws {
        try await withIdentity { store, _ in
            let lucia = try await store.addUser(handle: "lucia", name: "Lucía", roles: [.programManager], country: nil)
            let issued = try await store.createToken(for: "lucia", label: "laptop", expiresAt: nil)
            #expect(issued.secret.hasPrefix("mrd_") && issued.secret.count == 56)
            #expect(issued.info.prefix == String(issued.secret.prefix(12)))
            #expect(issued.info.handle == "lucia" && issued.info.label == "laptop" && issued.info.lastUsedAt == nil)
            #expect(try await store.authenticate(token: issued.secret) == lucia)
            #expect(try await store.authenticate(token: " \(issued.secret)\n") == lucia, "surrounding white space is ignored")
            let used = try #require(try await store.tokens(for: "lucia").first)
            #expect(used.lastUsedAt != nil && used.status() == .active)

            let other = try await store.createToken(for: "lucia", label: nil, expiresAt: nil)
            #expect(other.secret != issued.secret)
            try await store.revokeToken(issued.info.id)
            let refused = await identityError { _ = try await store.authenticate(token: issued.secret) }
            #expect(refused?.code == .unauthenticated && refused?.message.hasPrefix("the token was revoked at") == true)
            #expect(try await store.authenticate(token: other.secret) == lucia, "revoking one token leaves the others")
            try await store.revokeToken(issued.info.id)  // again: no change, no error
            #expect(try await store.tokens(for: "lucia").map { $0.status() } == [.active, .revoked])
            let unknownID = await identityError { try await store.revokeToken(999_999) }
            #expect(unknownID?.code == .notFound)
        }
    }

    /// Every request of a client authenticates with one token: writing its row each time made
    /// them all queue on that row's lock. The time of use is kept to the minute instead.
    @Test("the time of use is written at most once a minute")
    func timeOfUseToTheMinute() async throws {
        try await withIdentity { store, _ in
            _ = try await store.addUser(handle: "lucia", name: "Lucía", roles: [.programManager], country: nil)
            let issued = try await store.createToken(for: "lucia", label: nil, expiresAt: nil)
            _ = try await store.authenticate(token: issued.secret)
            let first = try #require(try await store.tokens(for: "lucia").first?.lastUsedAt)
            try await Task.sleep(for: .milliseconds(20))
            for _ in 0..<3 { _ = try await store.authenticate(token: issued.secret) }
            #expect(try await store.tokens(for: "lucia").first?.lastUsedAt == first)
        }
    }

    @Test("unknown and malformed tokens are refused")
    func unknownTokens() async throws {
        try await withIdentity { store, _ in
            let unknown = await identityError { _ = try await store.authenticate(token: "mrd_" + String(repeating: "a", count: 52)) }
            #expect(unknown?.code == .unauthenticated && unknown?.message.hasPrefix("the token is unknown") == true)
            for text in ["", "mrd_", "hello", "mrd_" + String(repeating: "A", count: 52), "xyz_" + String(repeating: "a", count: 52)] {
                let error = await identityError { _ = try await store.authenticate(token: text) }
                #expect(error?.code == .unauthenticated, "\(text)")
            }
        }
    }

    @Test("a token stops working when it expires")
    func expiry() async throws {
        try await withIdentity { store, _ in
            _ = try await store.addUser(handle: "ana", name: "Ana", roles: [.fundApprover], country: nil)
            let issued = try await store.createToken(for: "ana", label: nil, expiresAt: Date().addingTimeInterval(1.5))
            #expect(try await store.authenticate(token: issued.secret).handle == "ana")
            try await Task.sleep(for: .milliseconds(1_700))
            let expired = await identityError { _ = try await store.authenticate(token: issued.secret) }
            #expect(expired?.code == .unauthenticated && expired?.message.hasPrefix("the token expired at") == true)
            #expect(try await store.tokens(for: "ana").first?.status() == .expired)
            let past = await identityError { _ = try await store.createToken(for: "ana", label: nil, expiresAt: Date().addingTimeInterval(-60)) }
            #expect(past?.code == .invalid)
        }
    }

    @Test("disabling a user makes her tokens fail, and she gets no new ones")
    func disabledUser() async throws {
        try await withIdentity { store, _ in
            _ = try await store.addUser(handle: "ada", name: "Ada", roles: [.admin], country: nil)
            _ = try await store.addUser(handle: "ana", name: "Ana", roles: [.fundApprover], country: nil)
            let issued = try await store.createToken(for: "ana", label: nil, expiresAt: nil)
            _ = try await store.disable(handle: "ana")
            let refused = await identityError { _ = try await store.authenticate(token: issued.secret) }
            #expect(refused?.code == .unauthenticated && refused?.message == "the token's user 'ana' is disabled")
            let noNew = await identityError { _ = try await store.createToken(for: "ana", label: nil, expiresAt: nil) }
            #expect(noNew?.code == .conflict)
            let unknown = await identityError { _ = try await store.createToken(for: "nobody", label: nil, expiresAt: nil) }
            #expect(unknown?.code == .notFound)
        }
    }

    @Test("the database keeps only the SHA-256 of a secret and a short prefix")
    func onlyHashesStored() async throws {
        try await withIdentity { store, _ in
            _ = try await store.addUser(handle: "ana", name: "Ana", roles: [.fundApprover], country: nil)
            let issued = try await store.createToken(for: "ana", label: "ci", expiresAt: nil)
            let secretBody = String(issued.secret.dropFirst(4))
            // No column of any row holds the secret, or more of it than the 8-character prefix.
            #expect(try await scalar(store, """
                SELECT count(*)::int8 FROM user_tokens t
                WHERE strpos(t::text, \(issued.secret)) > 0 OR strpos(t::text, \(String(secretBody.prefix(12)))) > 0
                """) == 0)
            #expect(try await scalar(store, """
                SELECT count(*)::int8 FROM user_tokens
                WHERE token_hash = encode(sha256(convert_to(\(issued.secret), 'UTF8')), 'hex') AND prefix = \(issued.info.prefix)
                """) == 1)
        }
    }
}
