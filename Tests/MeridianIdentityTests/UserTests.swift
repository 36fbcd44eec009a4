import MeridianCodes
import Foundation
import MeridianDomainTestSupport
import MeridianIdentity
import MeridianTestSupport
import PostgresNIO
import Testing

/// Adding, listing and disabling users, and the rules a user must satisfy.
@Suite("Users")
struct UserTests {
    @Test("add, list, look up and disable users")
    func addListDisable() async throws {
        try await withIdentity { store, _ in
            let admin = try await store.addUser(handle: "root.admin", name: "Root Admin", roles: [.admin], country: nil)
            let amani = try await store.addUser(handle: "amani", name: "  Amani Kabila ", roles: [.official], country: "COD")
            #expect(amani.name == "Amani Kabila")
            #expect(amani.has(.official) && !amani.has(.admin) && amani.country == "COD" && !amani.disabled)
            let lucia = try await store.addUser(handle: "lucia", name: "Lucía Pérez", roles: [.programManager, .fundApprover], country: nil)
            #expect(try await store.users().map(\.handle) == ["amani", "lucia", "root.admin"])
            #expect(try await store.user(handle: "lucia") == lucia)
            let disabled = try await store.disable(handle: "amani")
            #expect(disabled.disabled && disabled.id == amani.id)
            #expect(try await store.user(handle: "amani").disabled)
            #expect(try await store.disable(handle: "amani").disabled, "disabling twice changes nothing")
            #expect(!(try await store.user(handle: admin.handle).disabled))
        }
    }

    @Test("bad users are refused with the rule they break, and nothing is written")
    func validation() async throws {
        try await withIdentity { store, _ in
            for handle in ["Amani", "-amani", "", "amani k", "amani@x", String(repeating: "a", count: 65)] {
                let error = await identityError { _ = try await store.addUser(handle: handle, name: "A", roles: [.supervisor], country: nil) }
                #expect(error?.code == .invalid && error?.message.contains("not a valid handle") == true, "\(handle)")
            }
            let noCountry = await identityError { _ = try await store.addUser(handle: "a", name: "A", roles: [.official], country: nil) }
            #expect(noCountry?.code == .invalid && noCountry?.message == "an official needs a country")
            let strayCountry = await identityError { _ = try await store.addUser(handle: "a", name: "A", roles: [.supervisor], country: "COD") }
            #expect(strayCountry?.code == .invalid && strayCountry?.message.hasPrefix("only officials have a country") == true)
            for code in ["cod", "CO", "CODX", "C0D"] {
                let error = await identityError { _ = try await store.addUser(handle: "a", name: "A", roles: [.official], country: code) }
                #expect(error?.code == .invalid && error?.message.contains("ISO 3166-1") == true, "\(code)")
            }
            let noRole = await identityError { _ = try await store.addUser(handle: "a", name: "A", roles: [], country: nil) }
            #expect(noRole?.code == .invalid && noRole?.hint?.contains("program-manager") == true)
            let noName = await identityError { _ = try await store.addUser(handle: "a", name: "  ", roles: [.admin], country: nil) }
            #expect(noName?.code == .invalid)
            let unknownRole = await identityError { _ = try Role(parsing: "boss") }
            #expect(unknownRole?.description == "'boss' is not a role; the roles are official, program-manager, fund-approver, finance-officer, supervisor, admin")
            #expect(try await store.users().isEmpty)

            _ = try await store.addUser(handle: "ana", name: "Ana", roles: [.fundApprover], country: nil)
            let duplicate = await identityError { _ = try await store.addUser(handle: "ana", name: "Other Ana", roles: [.admin], country: nil) }
            #expect(duplicate?.code == .conflict && duplicate?.message == "the handle 'ana' is taken")
            #expect(try await store.users().map(\.name) == ["Ana"])
            let missing = await identityError { _ = try await store.user(handle: "nobody") }
            #expect(missing?.code == .notFound)
            let missingDisable = await identityError { _ = try await store.disable(handle: "nobody") }
            #expect(missingDisable?.code == .notFound)
        }
    }

    @Test("the table refuses what the Swift checks refuse, for writers that bypass them")
    func constraints() async throws {
        try await withIdentity { store, _ in
            let bad: [PostgresQuery] = [
                "INSERT INTO users (id, handle, name, roles, country) VALUES (gen_random_uuid(), 'Bad', 'B', '{admin}', NULL)",
                "INSERT INTO users (id, handle, name, roles, country) VALUES (gen_random_uuid(), 'b', 'B', '{boss}', NULL)",
                "INSERT INTO users (id, handle, name, roles, country) VALUES (gen_random_uuid(), 'b', 'B', '{official}', NULL)",
                "INSERT INTO users (id, handle, name, roles, country) VALUES (gen_random_uuid(), 'b', 'B', '{admin}', 'COD')",
            ]
            for query in bad {
                let refusal = await ServerRefusal.of { try await store.client.query(query, logger: store.logger) }
                #expect(refusal?.sqlState == "23514" && refusal?.message.contains("violates check constraint \"users_") == true,
                        "\(query.sql): \(String(describing: refusal))")
            }
            let count = try await scalar(store, "SELECT count(*)::int8 FROM users")
            #expect(count == 0)
        }
    }

    @Test("the last enabled admin cannot be disabled; one of two can")
    func lastAdmin() async throws {
        try await withIdentity { store, _ in
            _ = try await store.addUser(handle: "ada", name: "Ada", roles: [.admin], country: nil)
            let refused = await identityError { _ = try await store.disable(handle: "ada") }
            #expect(refused?.code == .conflict && refused?.message == "'ada' is the last enabled admin and cannot be disabled")
            #expect(!(try await store.user(handle: "ada").disabled))
            _ = try await store.addUser(handle: "bob", name: "Bob", roles: [.admin, .supervisor], country: nil)
            #expect(try await store.disable(handle: "ada").disabled)
            let second = await identityError { _ = try await store.disable(handle: "bob") }
            #expect(second?.code == .conflict)
            #expect(try await store.hasEnabledAdmin())
        }
    }

    @Test("a disabled user is enabled again; roles are replaced by the rules a new user meets, never leaving no admin")
    func enableAndRoles() async throws {
        try await withIdentity { store, _ in
            _ = try await store.addUser(handle: "ada", name: "Ada", roles: [.admin], country: nil)
            _ = try await store.addUser(handle: "amani", name: "Amani", roles: [.official], country: "COD")
            _ = try await store.disable(handle: "amani")
            #expect(!(try await store.enable(handle: "amani").disabled))
            #expect(!(try await store.enable(handle: "amani").disabled), "enabling twice changes nothing")
            let missing = await identityError { _ = try await store.enable(handle: "nobody") }
            #expect(missing?.code == .notFound)

            let moved = try await store.setRoles(handle: "amani", roles: [.official, .supervisor], country: "RWA")
            #expect(moved.roles == [.official, .supervisor] && moved.country == "RWA")
            let noCountry = await identityError { _ = try await store.setRoles(handle: "amani", roles: [.official], country: nil) }
            #expect(noCountry?.code == .invalid && noCountry?.message == "an official needs a country")
            let manager = try await store.setRoles(handle: "amani", roles: [.programManager], country: nil)
            #expect(manager.roles == [.programManager] && manager.country == nil)

            let lastAdmin = await identityError { _ = try await store.setRoles(handle: "ada", roles: [.supervisor], country: nil) }
            #expect(lastAdmin?.code == .conflict && lastAdmin?.message == "'ada' is the last enabled admin and cannot lose the admin role")
            #expect(try await store.user(handle: "ada").has(.admin))
            _ = try await store.setRoles(handle: "amani", roles: [.admin], country: nil)
            #expect(try await store.setRoles(handle: "ada", roles: [.supervisor], country: nil).roles == [.supervisor])
            #expect(try await store.hasEnabledAdmin())
        }
    }
}
