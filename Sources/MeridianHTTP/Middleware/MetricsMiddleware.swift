import Hummingbird
import Prometheus
import Synchronization

/// Counts requests and records their latency by route, method and status in the server's
/// Prometheus registry (served at `/metrics`). Routes are the router's patterns
/// (`/api/v1/exchanges/{id}`), never raw paths, so ids do not make new series.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry
    /// The series already made, by route, method and status: asking the registry for them on
    /// every request built their names and labels again each time (1.5 % of a busy server).
    private let series = Series()

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    static var latencyBuckets: [Duration] {
        [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
         .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let key = SeriesKey(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: response.status.code)
        let (counter, histogram) = series.get(key) { makeSeries(key) }
        counter.increment()
        histogram.record(ContinuousClock.now - start)
        return response
    }

    private func makeSeries(_ key: SeriesKey) -> (Counter, DurationHistogram) {
        let labels = [("route", key.route), ("method", key.method), ("status", String(key.status))]
        let counter = registry.makeCounter(
            descriptor: .init(namespace: "meridian", subsystem: "http", metricName: "requests", unitName: "total",
                              helpText: "HTTP requests by route, method and status"), labels: labels
        )
        let histogram = registry.makeDurationHistogram(
            descriptor: .init(namespace: "meridian", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                              helpText: "HTTP request latency by route, method and status"), labels: labels, buckets: Self.latencyBuckets
        )
        return (counter, histogram)
    }
}

private struct SeriesKey: Hashable, Sendable {
    var route: String
    var method: String
    var status: Int
}

/// The series by key; routes are the router's patterns, so there are few.
private final class Series: Sendable {
    private let made = Mutex<[SeriesKey: (Counter, DurationHistogram)]>([:])

    func get(_ key: SeriesKey, make: () -> (Counter, DurationHistogram)) -> (Counter, DurationHistogram) {
        if let found = made.withLock({ $0[key] }) { return found }
        let new = make()  // the registry returns the same series for the same name and labels
        made.withLock { $0[key] = new }
        return new
    }
}
