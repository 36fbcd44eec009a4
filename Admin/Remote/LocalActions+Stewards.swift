import Foundation
import MeridianCodes
import MeridianEngine
import MeridianFunding
import MeridianIdentity
import MeridianService
import MeridianWorkflow

/// Users, the seed catalogue, generic instances and the ledger's check on the database, as the caller.
extension LocalActions {
    func seedKnowledgeBase() async throws -> MeridianService.SeedLoad { try await service.seedKnowledgeBase(by: caller) }

    func users() async throws -> [User] { try await service.identity(for: caller).users() }

    func addUser(handle: String, name: String, roles: Set<Role>, country: String?) async throws -> AuthorizedIdentityStore.AddedUser {
        try await service.identity(for: caller).addUser(handle: handle, name: name, roles: roles, country: country)
    }

    func createInvite(for handle: String, lifetime: Duration) async throws -> InviteLink {
        let invite = try await service.createInvite(for: handle, lifetime: lifetime, by: caller)
        return InviteLink(user: invite.handle, path: invite.path, expiresAt: invite.expiresAt)
    }

    func disableUser(_ handle: String) async throws -> User { try await service.identity(for: caller).disable(handle: handle) }

    func enableUser(_ handle: String) async throws -> User { try await service.identity(for: caller).enable(handle: handle) }

    func setRoles(of handle: String, roles: Set<Role>, country: String?) async throws -> User {
        try await service.identity(for: caller).setRoles(handle: handle, roles: roles, country: country)
    }

    func startInstance(workflow: String, version: Int?, context: [String: JSONValue]) async throws -> InstanceRecord {
        try await service.startInstance(workflow: workflow, version: version, context: context, by: caller)
    }

    func fire(_ event: String, instance id: UUID, data: [String: JSONValue], key: String?) async throws -> FireOutcome {
        try await service.fire(event, instance: id, data: data, key: key, by: caller)
    }

    func instance(_ id: UUID) async throws -> InstanceRecord { try await service.instance(id, by: caller) }

    func history(of id: UUID) async throws -> [HistoryRecord] { try await service.history(of: id, by: caller) }

    func instances(workflow: String?, state: String?, limit: Int) async throws -> [InstanceRecord] {
        try await service.instances(workflow: workflow, state: state, limit: limit, by: caller)
    }

    func incidents() async throws -> [Incident] { try await service.incidents(by: caller) }

    func retryIncidents(of id: UUID) async throws -> [Incident] { try await service.retryIncidents(of: id, by: caller) }

    func verifyLedger(fund: String?) async throws -> LedgerVerifier.Report { try await service.verifyLedger(fund: fund, by: caller) }
}
