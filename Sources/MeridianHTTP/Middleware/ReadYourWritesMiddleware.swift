import HTTPTypes
import Hummingbird
import MeridianExchange

/// Answers a request that may have written (any method but GET, HEAD and OPTIONS) only once the
/// exchange view cache has learned of everything committed before the answer: the writer's
/// next read — the page she is sent to, the API client's next GET — sees her write, not a view
/// kept from before it (``ExchangeViewCache/catchUp()``). Refused requests wait too: an error
/// may come after a commit. Without a cache, or while it serves nothing, nothing waits.
struct ReadYourWritesMiddleware<Context: RequestContext>: RouterMiddleware {
    let cache: ExchangeViewCache?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let cache, Self.mayWrite(request.method) else { return try await next(request, context) }
        do {
            let response = try await next(request, context)
            await cache.catchUp()
            return response
        } catch {
            await cache.catchUp()
            throw error
        }
    }

    static func mayWrite(_ method: HTTPRequest.Method) -> Bool {
        switch method {
        case .get, .head, .options: false
        default: true
        }
    }
}
