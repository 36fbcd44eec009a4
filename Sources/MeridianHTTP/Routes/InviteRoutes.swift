import Foundation
import HTTPTypes
import Hummingbird
import MeridianCodes
import MeridianIdentity
import MeridianService

/// `POST /api/v1/users/{handle}/invites`: a one-time sign-in link for the pages (admins only),
/// as `meridian user invite` makes it. The answer holds the link's path; the secret is shown
/// this once.
struct InviteRoutes {
    let service: MeridianService
    let limit: Int

    struct NewInvite: Decodable { var expiresInHours: Int? }
    struct Issued: Encodable { var user: String; var path: String; var expiresAt: Date }

    func add(to api: RouterGroup<MeridianRequestContext>) {
        let service = self.service, limit = self.limit
        api.post("users/{handle}/invites") { request, context -> Response in
            let caller = try context.requireCaller()
            let body = try await JSONBody.decode(NewInvite.self, from: request, fields: ["expires_in_hours"], limit: limit)
            let hours = body.expiresInHours ?? 72
            guard (1...720).contains(hours) else {
                throw ServiceError(.invalidData, "expires_in_hours must be from 1 to 720 (30 days), not \(hours)")
            }
            let invite = try await service.createInvite(for: context.parameters.get("handle") ?? "", lifetime: .seconds(hours * 3_600), by: caller)
            return try .json(Issued(user: invite.handle, path: invite.path, expiresAt: invite.expiresAt), status: .created,
                             headers: [.cacheControl: "no-store"])
        }
    }
}
