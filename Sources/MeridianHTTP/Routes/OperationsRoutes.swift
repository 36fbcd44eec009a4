import MeridianCodes
import Foundation
import Hummingbird
import MeridianExchange
import MeridianSchemas
import MeridianService
import Prometheus
import MeridianQueue

/// `/healthz`, `/readyz`, `/metrics` and the API's own description.
struct OperationsRoutes {
    let service: MeridianService
    let registry: PrometheusCollectorRegistry

    func add(to router: Router<MeridianRequestContext>) {
        let service = self.service, registry = self.registry

        // Liveness: the process answers. Says nothing of the database, so an orchestrator does
        // not restart a healthy server while PostgreSQL restarts.
        router.get("healthz") { _, _ -> Response in
            try .json(["status": "ok"])
        }
        // Readiness: the database answers and its schema is current.
        router.get("readyz") { _, _ -> Response in
            let readiness = await service.readiness()
            guard readiness.ready else { throw ServiceError(.unavailable, readiness.reason) }
            return try .json(["status": "ready"])
        }
        router.get("metrics") { _, _ -> Response in
            let figures = try await service.operationalFigures()
            for queue in figures.queues {
                for (state, value) in [("available", queue.available), ("scheduled", queue.scheduled), ("running", queue.running), ("dead", queue.dead)] {
                    registry.makeGauge(descriptor: .init(namespace: "meridian", subsystem: "queue", metricName: "jobs", unitName: "",
                                                         helpText: "Jobs by queue and state"),
                                       labels: [("queue", queue.queue.rawValue), ("state", state)]).set(Double(value))
                }
            }
            registry.makeGauge(descriptor: .init(namespace: "meridian", subsystem: "engine", metricName: "open_incidents", unitName: "",
                                                 helpText: "Tasks that failed for good and wait for an operator")).set(Double(figures.openIncidents))
            registry.makeGauge(descriptor: .init(namespace: "meridian", subsystem: "engine", metricName: "steps", unitName: "",
                                                 helpText: "Steps written to the history since the database's statistics were reset"))
                .set(Double(figures.engineSteps))
            if let cache = service.exchangeViewCache {
                let kept = cache.figures
                for (answer, value) in [("memory", kept.served), ("database", kept.missed)] {
                    registry.makeGauge(descriptor: .init(namespace: "meridian", subsystem: "exchange_view_cache", metricName: "answers", unitName: "",
                                                         helpText: "Views of one exchange asked for since the server started, by where they were answered from"),
                                       labels: [("from", answer)]).set(Double(value))
                }
                registry.makeGauge(descriptor: .init(namespace: "meridian", subsystem: "exchange_view_cache", metricName: "not_kept", unitName: "",
                                                     helpText: "Views read from the database and not kept: their exchange changed meanwhile, or the feed was not asking"))
                    .set(Double(kept.notKept))
                registry.makeGauge(descriptor: .init(namespace: "meridian", subsystem: "exchange_view_cache", metricName: "questions", unitName: "",
                                                     helpText: "The feed's questions to PostgreSQL about what changed since the server started"))
                    .set(Double(kept.questions))
                registry.makeGauge(descriptor: .init(namespace: "meridian", subsystem: "exchange_view_cache", metricName: "views", unitName: "",
                                                     helpText: "Views of one exchange kept in memory now")).set(Double(cache.count))
            }
            return .text(registry.emitToString(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("api/v1/openapi.yaml") { _, _ -> Response in
            .text(try String(contentsOf: SchemaFiles.openAPIDocument, encoding: .utf8), contentType: "application/yaml; charset=utf-8",
                  headers: [.cacheControl: "public, max-age=300"])
        }
    }
}
