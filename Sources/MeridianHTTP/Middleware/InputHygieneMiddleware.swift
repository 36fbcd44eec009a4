import MeridianCodes
import Hummingbird
import MeridianService

/// Refuses a request whose path or query holds a NUL byte or another control character: no
/// text Meridian stores or looks up may contain one, and the database would refuse it anyway.
/// (Bodies are checked field by field by the domains.)
struct InputHygieneMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let texts = [request.uri.path] + request.uri.queryParameters.flatMap { [String($0.key), String($0.value)] }
        if texts.contains(where: { $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } }) {
            throw ServiceError(.invalidArgument, "the path or a query parameter contains a control character; remove it")
        }
        return try await next(request, context)
    }
}
