import Hummingbird
import MeridianCodes
import HTTPTypes
import Logging
import MeridianService
import Prometheus
import Synchronization

/// Answers 503 when the router has not answered a request in time, even if its handler never
/// returns, and cancels the handler's work (a cancelled transaction rolls back, so a timed-out
/// request changes nothing it had not committed).
///
/// It wraps the whole router rather than sitting among its middleware: a middleware's `next`
/// may not outlive the middleware's call, so a middleware can only stop waiting once the handler
/// returns — and a handler blocked on a statement the database never answers (PostgresNIO can
/// lose one sent on a connection that just closed, docs/operations.md) ignores cancellation. Here
/// the router runs in a task of its own, raced against the clock: at the deadline the caller gets
/// its answer, and the task is cancelled and left to end when it can. The clock is one
/// ``DeadlineTicker`` for all requests, not a sleeping task per request.
public struct RequestTimeout<Router: HTTPResponderBuilder>: HTTPResponderBuilder
where Router.Responder.Context == MeridianRequestContext {
    let router: Router
    let timeout: Duration
    let registry: PrometheusCollectorRegistry?
    let pageAnswer: (@Sendable (Request) -> Response?)?

    /// - Parameters:
    ///   - registry: counts timed-out requests as `meridian_http_timeouts_total`.
    ///   - pageAnswer: the answer for a timed-out request to a web page (a page in the visitor's
    ///     language), or `nil` for the problem document every other path gets.
    public init(_ router: Router, timeout: Duration, registry: PrometheusCollectorRegistry? = nil,
                pageAnswer: (@Sendable (Request) -> Response?)? = nil) {
        self.router = router
        self.timeout = timeout
        self.registry = registry
        self.pageAnswer = pageAnswer
    }

    public func buildResponder() -> Responder {
        Responder(inner: router.buildResponder(), timeout: timeout, ticker: DeadlineTicker(timeout: timeout), pageAnswer: pageAnswer,
                  timeouts: registry?.makeCounter(
            descriptor: .init(namespace: "meridian", subsystem: "http", metricName: "timeouts", unitName: "total",
                              helpText: "Requests answered 503 because their handler had not finished in time")))
    }

    public struct Responder: HTTPResponder {
        public typealias Context = MeridianRequestContext
        let inner: Router.Responder
        let timeout: Duration
        let ticker: DeadlineTicker
        let pageAnswer: (@Sendable (Request) -> Response?)?
        let timeouts: Counter?

        public func respond(to request: Request, context: Context) async throws -> Response {
            let race = Race(ticker: ticker)
            let inner = self.inner, deadline = ContinuousClock.now.advanced(by: timeout)
            return try await withTaskCancellationHandler {
                let outcome = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Response?, any Error>) in
                    // Cancelled before the race began: answered already, and no work is started.
                    guard race.begin(continuation) else { return }
                    let work = Task {
                        do {
                            race.finish(with: .success(try await inner.respond(to: request, context: context)))
                        } catch {
                            race.finish(with: .failure(error))
                        }
                    }
                    let clock = ticker.add(deadline) {
                        if race.finish(with: .success(nil)) { work.cancel() }
                    }
                    race.hold(work: work, clock: clock)
                }
                guard let response = outcome else { return timedOut(request, context: context) }
                return response
            } onCancel: {
                // The server is stopping or the client left: stop the work, and stop waiting for it.
                race.finish(with: .failure(CancellationError()), cancelWork: true)
            }
        }

        /// The 503 problem (or the page's answer), with the headers every response carries (the
        /// router's middleware, which adds them to its own answers, is still busy with the request).
        func timedOut(_ request: Request, context: Context) -> Response {
            timeouts?.increment()
            context.logger.warning("request timed out", metadata: [
                "http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path)", "timeout": "\(timeout)",
            ])
            if var page = pageAnswer?(request) {
                SecurityHeadersMiddleware<Context>.secure(&page)
                return page
            }
            let detail = "the request took longer than \(timeout) and was cancelled; try again later"
            var response = Problem(kind: ServiceError.Kind.unavailable.name, title: HTTPResponse.Status.serviceUnavailable.reasonPhrase,
                                   status: .serviceUnavailable, detail: detail).response()
            SecurityHeadersMiddleware<Context>.secure(&response)
            return response
        }
    }
}

/// The one answer of a request's race between its work and the clock: whichever finishes first
/// resumes the waiting request; the other finds it answered and stops.
private final class Race: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Response?, any Error>?
        var answered = false
        var work: Task<Void, Never>?
        var clock: UInt64?
    }
    private let state = Mutex(State())
    private let ticker: DeadlineTicker

    init(ticker: DeadlineTicker) { self.ticker = ticker }

    /// Registers the waiting request; returns false, having answered it at once, when the
    /// request was cancelled before the race began (then there is nothing to run).
    func begin(_ continuation: CheckedContinuation<Response?, any Error>) -> Bool {
        let early = state.withLock { state -> Bool in
            if state.answered { return true }
            state.continuation = continuation
            return false
        }
        if early { continuation.resume(throwing: CancellationError()) }
        return !early
    }

    func hold(work: Task<Void, Never>, clock: UInt64) {
        let answered = state.withLock { state -> Bool in
            state.work = work
            state.clock = clock
            return state.answered
        }
        // Answered while the tasks were being made (by the work, the clock, or a cancellation
        // that found no task to stop yet): stop both; cancelling a finished task does nothing.
        if answered {
            ticker.remove(clock)
            work.cancel()
        }
    }

    /// Answers the request with `result` unless it was answered already; returns whether it did.
    @discardableResult
    func finish(with result: Result<Response?, any Error>, cancelWork: Bool = false) -> Bool {
        let (continuation, work, clock, first) = state.withLock { state in
            let first = !state.answered
            state.answered = true
            defer { state.continuation = nil }
            return (first ? state.continuation : nil, state.work, state.clock, first)
        }
        continuation?.resume(with: result)
        if let clock { ticker.remove(clock) }
        if cancelWork { work?.cancel() }
        return first
    }
}
