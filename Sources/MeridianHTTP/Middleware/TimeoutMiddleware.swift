import MeridianCodes
import Hummingbird
import MeridianService

/// Answers 503 when a request takes longer than the server allows, cancelling its work (a
/// cancelled transaction rolls back, so a timed-out request changes nothing it had not committed).
struct TimeoutMiddleware<Context: RequestContext>: RouterMiddleware {
    let timeout: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The router's continuation is neither escaping nor Sendable, but the task group below
        // awaits its child before this call returns, and the child is the only caller.
        try await withoutActuallyEscaping(next) { next in
            nonisolated(unsafe) let next = next
            return try await withThrowingTaskGroup(of: Response?.self) { group in
                group.addTask { try await next(request, context) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else {
                    throw ServiceError(.unavailable, "the request took longer than \(timeout) and was cancelled; try again later")
                }
                return response
            }
        }
    }
}
