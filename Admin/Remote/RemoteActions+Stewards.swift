import Foundation
import MeridianCodes
import MeridianEngine
import MeridianFunding
import MeridianIdentity
import MeridianService
import MeridianWorkflow

/// Users, the seed catalogue, generic instances and the ledger's check through the API.
extension RemoteActions {
    func seedKnowledgeBase() async throws -> MeridianService.SeedLoad {
        try await api.post("experiences/seed", encoded: Data("{}".utf8))
    }

    func users() async throws -> [User] { try await api.get("users") }

    private struct NewUser: Encodable { var handle: String; var name: String; var roles: [String]; var country: String? }

    /// Through a server a user is always added by an admin: the bootstrap of the first admin
    /// happens on the database, where there is no admin yet to hold a token.
    func addUser(handle: String, name: String, roles: Set<Role>, country: String?) async throws -> AuthorizedIdentityStore.AddedUser {
        let user: User = try await api.post("users", json: NewUser(handle: handle, name: name, roles: roles.ordered.map(\.rawValue), country: country))
        return AuthorizedIdentityStore.AddedUser(user: user, bootstrap: false, token: nil)
    }

    private func user(_ handle: String, _ rest: String) -> String { "users/\(ServerAddress.segment(handle))/\(rest)" }

    func disableUser(_ handle: String) async throws -> User { try await api.post(user(handle, "disable"), encoded: Data("{}".utf8)) }

    func enableUser(_ handle: String) async throws -> User { try await api.post(user(handle, "enable"), encoded: Data("{}".utf8)) }

    private struct NewInvite: Encodable { var expiresInMinutes: Int }

    func createInvite(for handle: String, lifetime: Duration) async throws -> InviteLink {
        try await api.post(user(handle, "invites"), json: NewInvite(expiresInMinutes: Int(lifetime.components.seconds / 60)))
    }

    private struct NewRoles: Encodable { var roles: [String]; var country: String? }

    func setRoles(of handle: String, roles: Set<Role>, country: String?) async throws -> User {
        try await api.put(user(handle, "roles"), json: NewRoles(roles: roles.ordered.map(\.rawValue), country: country))
    }

    private struct NewInstance: Encodable { var workflow: String; var version: Int?; var context: [String: JSONValue] }

    /// Contexts and event data travel as written: their keys are the workflow's, not Meridian's
    /// snake_case form.
    private func asWritten(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    func startInstance(workflow: String, version: Int?, context: [String: JSONValue]) async throws -> InstanceRecord {
        try await api.post("instances", encoded: try asWritten(NewInstance(workflow: workflow, version: version, context: context)))
    }

    private struct Event: Encodable { var event: String; var data: [String: JSONValue] }

    func fire(_ event: String, instance id: UUID, data: [String: JSONValue], key: String?) async throws -> FireOutcome {
        try await api.post(instancePath(id, "events"), encoded: try asWritten(Event(event: event, data: data)), key: key)
    }

    private func instancePath(_ id: UUID, _ rest: String = "") -> String {
        "instances/\(id.uuidString.lowercased())" + (rest.isEmpty ? "" : "/\(rest)")
    }

    func instance(_ id: UUID) async throws -> InstanceRecord { try await api.get(instancePath(id)) }

    func history(of id: UUID) async throws -> [HistoryRecord] { try await api.get(instancePath(id, "history")) }

    func instances(workflow: String?, state: String?, limit: Int) async throws -> [InstanceRecord] {
        try await api.get("instances", query: [("workflow", workflow), ("state", state), ("limit", String(limit))])
    }

    func incidents() async throws -> [Incident] { try await api.get("incidents") }

    func retryIncidents(of id: UUID) async throws -> [Incident] { try await api.post(instancePath(id, "retry"), encoded: Data("{}".utf8)) }

    func verifyLedger(fund: String?) async throws -> LedgerVerifier.Report {
        try await api.get("ledger/verification", query: [("fund", fund)])
    }
}
