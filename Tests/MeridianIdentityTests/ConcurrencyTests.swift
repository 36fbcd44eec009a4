import Foundation
import MeridianDomainTestSupport
import MeridianIdentity
import MeridianTestSupport
import Testing

/// The rules about admins hold when requests race: each is checked and applied under one lock.
@Suite("Races on the admin rules")
struct ConcurrencyTests {
    @Test("of eight concurrent bootstraps exactly one succeeds")
    func concurrentBootstrap() async throws {
        try await withIdentity { store, _ in
            let results = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        (try? await store.acting(as: nil).addUser(handle: "admin\(index)", name: "Admin \(index)", roles: [.admin], country: nil)) != nil
                    }
                }
                var successes = 0
                for await succeeded in group where succeeded { successes += 1 }
                return successes
            }
            #expect(results == 1)
            let users = try await store.users()
            #expect(users.count == 1)
        }
    }

    @Test("of the last two admins disabled at once, one stays enabled")
    func concurrentDisable() async throws {
        try await withIdentity { store, _ in
            for round in 0..<5 {
                let first = try await store.addUser(handle: "a\(round)", name: "A", roles: [.admin], country: nil)
                let second = try await store.addUser(handle: "b\(round)", name: "B", roles: [.admin], country: nil)
                // Leave these two as the only enabled admins.
                for user in try await store.users() where user.has(.admin) && !user.disabled && user.id != first.id && user.id != second.id {
                    _ = try await store.disable(handle: user.handle)
                }
                // The trusted store, so that only the admin lock (not the actor's row lock) serialises them.
                async let one = try? store.disable(handle: second.handle)
                async let two = try? store.disable(handle: first.handle)
                _ = await (one, two)
                let enabledAdmins = try await store.users().filter { $0.has(.admin) && !$0.disabled }
                #expect(enabledAdmins.count == 1, "round \(round)")
            }
        }
    }

    @Test("two admins taking each other's admin role at once: one succeeds, the other is refused as the last admin, no deadlock")
    func crossedRoleChanges() async throws {
        try await withIdentity { store, _ in
            for round in 0..<5 {
                let ada = try await store.addUser(handle: "ada\(round)", name: "Ada", roles: [.admin], country: nil)
                let bea = try await store.addUser(handle: "bea\(round)", name: "Bea", roles: [.admin], country: nil)
                for user in try await store.users() where user.has(.admin) && !user.disabled && user.id != ada.id && user.id != bea.id {
                    _ = try await store.setRoles(handle: user.handle, roles: [.supervisor], country: nil)
                }
                // Each acts as herself, so each first locks her own row to check she is an admin.
                async let one = Self.outcome { try await store.acting(as: ada).setRoles(handle: bea.handle, roles: [.supervisor], country: nil) }
                async let two = Self.outcome { try await store.acting(as: bea).setRoles(handle: ada.handle, roles: [.supervisor], country: nil) }
                let outcomes = await [one, two]
                let refusals = outcomes.compactMap { outcome -> IdentityError? in
                    guard case .failure(let error) = outcome else { return nil }
                    return error as? IdentityError
                }
                #expect(outcomes.filter { if case .success = $0 { true } else { false } }.count == 1, "round \(round)")
                #expect(refusals.count == 1 && [.conflict, .forbidden].contains(refusals.first?.code), "round \(round): \(outcomes)")
                #expect(try await store.users().filter { $0.has(.admin) && !$0.disabled }.count == 1)
            }
        }
    }

    private static func outcome(_ body: () async throws -> User) async -> Result<User, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }
}
