import MeridianCodes
import Foundation
import Hummingbird
import MeridianIdentity
import MeridianService

/// `/api/v1/me`, `/users`, `/tokens`: who is calling; users (admins); tokens (one's own, or
/// anyone's for admins). The identity module's authorized store decides.
struct IdentityRoutes {
    let service: MeridianService
    let limit: Int

    struct NewUser: Decodable { var handle: String; var name: String; var roles: [String]; var country: String? }
    struct NewRoles: Decodable { var roles: [String]; var country: String? }
    struct NewToken: Decodable { var user: String?; var label: String?; var expiresAt: Date? }

    func add(to api: RouterGroup<MeridianRequestContext>) {
        let service = self.service, limit = self.limit

        api.get("me") { _, context -> Response in
            try .json(try context.requireCaller().user)
        }
        api.get("users") { _, context -> Response in
            try .json(try await service.identity(for: try context.requireCaller()).users())
        }
        api.post("users") { request, context -> Response in
            let caller = try context.requireCaller()
            let body = try await JSONBody.decode(NewUser.self, from: request, fields: ["handle", "name", "roles", "country"], limit: limit)
            let roles = Set(try body.roles.map { try Role(parsing: $0) })
            let added = try await service.identity(for: caller).addUser(handle: body.handle, name: body.name, roles: roles, country: body.country?.uppercased())
            return try .json(added.user, status: .created)
        }
        api.post("users/{handle}/disable") { _, context -> Response in
            let caller = try context.requireCaller()
            return try .json(try await service.identity(for: caller).disable(handle: try Self.handle(context)))
        }
        api.post("users/{handle}/enable") { _, context -> Response in
            let caller = try context.requireCaller()
            return try .json(try await service.identity(for: caller).enable(handle: try Self.handle(context)))
        }
        api.put("users/{handle}/roles") { request, context -> Response in
            let caller = try context.requireCaller()
            let body = try await JSONBody.decode(NewRoles.self, from: request, fields: ["roles", "country"], limit: limit)
            let roles = Set(try body.roles.map { try Role(parsing: $0) })
            return try .json(try await service.identity(for: caller).setRoles(handle: try Self.handle(context), roles: roles, country: body.country?.uppercased()))
        }
        api.get("tokens") { request, context -> Response in
            let caller = try context.requireCaller()
            // Without `user`: one's own tokens, or everybody's for an admin (as `meridian token list`).
            return try .json(try await service.identity(for: caller).tokens(for: request.uri.queryParameters.get("user")))
        }
        api.post("tokens") { request, context -> Response in
            let caller = try context.requireCaller()
            let body = try await JSONBody.decode(NewToken.self, from: request, fields: ["user", "label", "expires_at"], limit: limit)
            let issued = try await service.identity(for: caller).createToken(for: body.user ?? caller.handle, label: body.label, expiresAt: body.expiresAt)
            return try .json(issued, status: .created, headers: [.cacheControl: "no-store"])
        }
        api.delete("tokens/{id}") { _, context -> Response in
            let caller = try context.requireCaller()
            guard let text = context.parameters.get("id"), let id = Int64(text) else {
                throw ServiceError(.notFound, "no token has the id \(context.parameters.get("id") ?? "")")
            }
            return try .json(try await service.identity(for: caller).revokeToken(id))
        }
    }

    /// The `{handle}` of a user's route (the identity store checks its form).
    static func handle(_ context: MeridianRequestContext) throws -> String {
        guard let handle = context.parameters.get("handle"), handle.count <= 200 else {
            throw ServiceError(.notFound, "no user has that handle")
        }
        return handle
    }
}
