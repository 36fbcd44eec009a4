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

    /// The lifetime in hours (1 to 720) or in minutes (1 to 43,200, as `meridian user invite
    /// --expires-in 30m` sends it), not both; 72 hours when neither is given.
    struct NewInvite: Decodable { var expiresInHours: Int?; var expiresInMinutes: Int? }
    struct Issued: Encodable { var user: String; var path: String; var expiresAt: Date }

    func add(to api: RouterGroup<MeridianRequestContext>) {
        let service = self.service, limit = self.limit
        api.post("users/{handle}/invites") { request, context -> Response in
            let caller = try context.requireCaller()
            let body = try await JSONBody.decode(NewInvite.self, from: request, fields: ["expires_in_hours", "expires_in_minutes"], limit: limit)
            let minutes: Int
            switch (body.expiresInHours, body.expiresInMinutes) {
            case (let hours?, nil):
                guard (1...720).contains(hours) else {
                    throw ServiceError(.invalidData, "expires_in_hours must be from 1 to 720 (30 days), not \(hours)")
                }
                minutes = hours * 60
            case (nil, let given?):
                guard (1...43_200).contains(given) else {
                    throw ServiceError(.invalidData, "expires_in_minutes must be from 1 to 43200 (30 days), not \(given)")
                }
                minutes = given
            case (nil, nil):
                minutes = 72 * 60
            case (_?, _?):
                throw ServiceError(.invalidData, "give expires_in_hours or expires_in_minutes, not both")
            }
            let invite = try await service.createInvite(for: context.parameters.get("handle") ?? "", lifetime: .seconds(minutes * 60), by: caller)
            return try .json(Issued(user: invite.handle, path: invite.path, expiresAt: invite.expiresAt), status: .created,
                             headers: [.cacheControl: "no-store"])
        }
    }
}
