import Foundation
import MeridianDomainTestSupport
import MeridianIdentity
import MeridianTestSupport
import PostgresNIO
import Testing

/// Who may manage users and tokens: the bootstrap, admins, and everyone for her own tokens.
@Suite("Authorization")
struct AuthorizationTests {
    @Test("without a token only the first admin can be added; afterwards a token is needed")
    func bootstrap() async throws {
        try await withIdentity { store, _ in
            let anonymous = store.acting(as: nil)
            let notAdmin = await identityError { _ = try await anonymous.addUser(handle: "ana", name: "Ana", roles: [.fundApprover], country: nil) }
            #expect(notAdmin?.code == .forbidden && notAdmin?.message.contains("must be an admin") == true)
            #expect(try await store.users().isEmpty)
            let first = try await anonymous.addUser(handle: "ada", name: "Ada", roles: [.admin], country: nil)
            #expect(first.bootstrap && first.user.has(.admin))
            let bootstrapToken = try #require(first.token)
            #expect(try await store.authenticate(token: bootstrapToken.secret) == first.user, "the first admin gets a working token")
            #expect(bootstrapToken.info.label == "bootstrap")
            let second = await identityError { _ = try await anonymous.addUser(handle: "bob", name: "Bob", roles: [.admin], country: nil) }
            #expect(second?.code == .unauthenticated && second?.message == "adding a user needs a token")
            let added = try await store.acting(as: first.user).addUser(handle: "bob", name: "Bob", roles: [.supervisor], country: nil)
            #expect(!added.bootstrap && added.token == nil)
            #expect(try await store.users().map(\.handle) == ["ada", "bob"])
        }
    }

    @Test("the bootstrap opens again when every admin is disabled by other means")
    func bootstrapReopens() async throws {
        try await withIdentity { store, _ in
            _ = try await store.addUser(handle: "ada", name: "Ada", roles: [.admin], country: nil)
            try await store.client.query("UPDATE users SET disabled_at = now()", logger: store.logger)
            #expect(try await store.acting(as: nil).addUser(handle: "eve", name: "Eve", roles: [.admin], country: nil).bootstrap)
        }
    }

    @Test("a non-admin may not manage users or other people's tokens, and nothing changes")
    func nonAdminRefused() async throws {
        try await withIdentity { store, _ in
            let ada = try await store.addUser(handle: "ada", name: "Ada", roles: [.admin], country: nil)
            let lucia = try await store.addUser(handle: "lucia", name: "Lucía", roles: [.programManager], country: nil)
            let ana = try await store.addUser(handle: "ana", name: "Ana", roles: [.fundApprover], country: nil)
            let anasToken = try await store.createToken(for: "ana", label: nil, expiresAt: nil)
            let asLucia = store.acting(as: lucia)

            let add = await identityError { _ = try await asLucia.addUser(handle: "x", name: "X", roles: [.admin], country: nil) }
            #expect(add?.code == .forbidden && add?.message == "'lucia' may not add users: that needs the admin role")
            #expect(await identityError { _ = try await asLucia.users() }?.code == .forbidden)
            #expect(await identityError { _ = try await asLucia.disable(handle: "ana") }?.code == .forbidden)
            #expect(await identityError { _ = try await asLucia.createToken(for: "ana", label: nil, expiresAt: nil) }?.code == .forbidden)
            #expect(await identityError { _ = try await asLucia.tokens(for: "ana") }?.code == .forbidden)
            #expect(await identityError { try await asLucia.revokeToken(anasToken.info.id) }?.code == .notFound)

            let users = try await store.users()
            #expect(users.count == 3 && users.allSatisfy { !$0.disabled })
            #expect(try await store.tokens(for: nil).count == 1)
            #expect(try await store.authenticate(token: anasToken.secret) == ana)
            _ = ada
        }
    }

    @Test("anyone manages her own tokens; an admin manages everybody's")
    func ownTokens() async throws {
        try await withIdentity { store, _ in
            let ada = try await store.addUser(handle: "ada", name: "Ada", roles: [.admin], country: nil)
            let lucia = try await store.addUser(handle: "lucia", name: "Lucía", roles: [.programManager], country: nil)
            let asLucia = store.acting(as: lucia)
            let own = try await asLucia.createToken(for: nil, label: "laptop", expiresAt: nil)
            #expect(own.info.handle == "lucia")
            #expect(try await asLucia.createToken(for: "lucia", label: nil, expiresAt: nil).info.handle == "lucia")
            _ = try await store.createToken(for: "ada", label: nil, expiresAt: nil)
            #expect(try await asLucia.tokens(for: nil).map(\.handle) == ["lucia", "lucia"], "a non-admin sees only her own")
            try await asLucia.revokeToken(own.info.id)
            #expect(await identityError { _ = try await store.authenticate(token: own.secret) }?.code == .unauthenticated)

            let asAda = store.acting(as: ada)
            #expect(try await asAda.tokens(for: nil).count == 3, "an admin sees all")
            let forLucia = try await asAda.createToken(for: "lucia", label: "given", expiresAt: nil)
            #expect(try await store.authenticate(token: forLucia.secret) == lucia)
            try await asAda.revokeToken(forLucia.info.id)
            #expect(try await asAda.tokens(for: "lucia").filter { $0.status() == .revoked }.count == 2)
            let lastAdmin = await identityError { _ = try await asAda.disable(handle: "ada") }
            #expect(lastAdmin?.code == .conflict)
            #expect(try await asAda.disable(handle: "lucia").disabled)
            let disabledActor = await identityError { _ = try await asLucia.tokens(for: nil) }
            #expect(disabledActor?.code == .unauthenticated, "a user disabled since her token was checked cannot act")
        }
    }
}
