import Hummingbird
import Prometheus

/// Counts requests and records their latency by route, method and status in the server's
/// Prometheus registry (served at `/metrics`). Routes are the router's patterns
/// (`/api/v1/exchanges/{id}`), never raw paths, so ids do not make new series.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry

    static var latencyBuckets: [Duration] {
        [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
         .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        let labels = [("route", route), ("method", request.method.rawValue), ("status", String(response.status.code))]
        registry.makeCounter(
            descriptor: .init(namespace: "meridian", subsystem: "http", metricName: "requests", unitName: "total",
                              helpText: "HTTP requests by route, method and status"), labels: labels
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "meridian", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                              helpText: "HTTP request latency by route, method and status"), labels: labels, buckets: Self.latencyBuckets
        ).record(ContinuousClock.now - start)
        return response
    }
}
