import MeridianCodes
import Hummingbird
import MeridianService
import Foundation
import Logging

/// Reads `Authorization: Bearer mrd_…` and sets the caller. A request without the header goes
/// on as anonymous (public routes answer it, others refuse with 401); a header with a token
/// that is unknown, revoked, expired or of a disabled user is refused at once with 401.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = MeridianRequestContext
    let service: MeridianService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw ServiceError(.unauthenticated, "the Authorization header must be `Bearer mrd_…`")
        }
        var context = context
        // The identity store trims the token itself.
        context.caller = try await service.authenticate(token: String(parts[1]))
        context.logger[metadataKey: "user.handle"] = "\(context.caller?.handle ?? "-")"
        return try await next(request, context)
    }
}
