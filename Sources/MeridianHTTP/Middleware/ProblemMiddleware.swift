import Hummingbird
import MeridianService
import Logging
import HTTPTypes

/// Turns every error thrown below into an RFC 9457 problem response, logging server failures
/// with their cause (which the response never shows).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = MeridianRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status >= 500 {
                context.logger.error("request failed", metadata: [
                    "error": "\(String(reflecting: error))",
                    "error.code": "\(ServiceError.classify(error)?.logCode ?? "unclassified")",
                    "http.path": "\(request.uri.path)",
                ])
            }
            var headers: HTTPFields = [:]
            if problem.status == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"meridian\"" }
            return problem.response(headers: headers)
        }
    }
}
