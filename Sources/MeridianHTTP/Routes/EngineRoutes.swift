import MeridianCodes
import Foundation
import Hummingbird
import MeridianEngine
import MeridianService
import MeridianWorkflow

/// `/api/v1/workflows`, `/instances`, `/incidents`, `/audit`: the engine under the same rules
/// as the CLI.
struct EngineRoutes {
    let service: MeridianService
    let limit: Int

    struct NewInstance: Decodable { var workflow: String; var version: Int?; var context: [String: JSONValue]? }
    struct Event: Decodable { var event: String; var data: [String: JSONValue]? }

    func add(to api: RouterGroup<MeridianRequestContext>) {
        let service = self.service, limit = self.limit

        api.get("workflows") { _, context -> Response in
            try .json(try await service.workflows(by: try context.requireCaller()))
        }
        api.get("workflows/{id}") { request, context -> Response in
            let caller = try context.requireCaller()
            let version = try request.uri.queryParameters.get("version").map { text -> Int in
                guard let value = Int(text), value > 0 else { throw ServiceError(.invalidArgument, "version must be a positive whole number") }
                return value
            }
            let (_, xml) = try await service.workflowSource(context.parameters.get("id") ?? "", version: version, by: caller)
            return .text(xml, contentType: "application/xml; charset=utf-8")
        }
        api.post("instances") { request, context -> Response in
            let caller = try context.requireCaller()
            let body = try await JSONBody.decode(NewInstance.self, from: request, fields: ["workflow", "version", "context"], limit: limit)
            let instance = try await service.startInstance(workflow: body.workflow, version: body.version, context: body.context ?? [:], by: caller)
            return try .json(instance, status: .created)
        }
        api.get("instances") { request, context -> Response in
            let caller = try context.requireCaller()
            let query = request.uri.queryParameters
            let limit = try query.get("limit").map { text -> Int in
                guard let value = Int(text), (1...1000).contains(value) else { throw ServiceError(.invalidArgument, "limit must be 1 to 1000") }
                return value
            } ?? 100
            for name in ["workflow", "state"] where (query.get(name)?.count ?? 0) > 200 {
                throw ServiceError(.invalidArgument, "\(name) has at most 200 characters")
            }
            return try .json(try await service.instances(workflow: query.get("workflow"), state: query.get("state"), limit: limit, by: caller))
        }
        api.get("instances/{id}") { request, context -> Response in
            let caller = try context.requireCaller()
            return try .json(try await service.instance(try request.uuid("id", context, what: "instance"), by: caller))
        }
        api.get("instances/{id}/history") { request, context -> Response in
            let caller = try context.requireCaller()
            return try .json(try await service.history(of: try request.uuid("id", context, what: "instance"), by: caller))
        }
        api.post("instances/{id}/events") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try request.uuid("id", context, what: "instance")
            let body = try await JSONBody.decode(Event.self, from: request, fields: ["event", "data"], limit: limit)
            let outcome = try await service.fire(body.event, instance: id, data: body.data ?? [:], key: try request.idempotencyKey(), by: caller)
            guard outcome.status == .applied else {
                let kind: ServiceError.Kind = outcome.rejectionCode == Rejection.Code.roleMissing.rawValue ? .forbidden : .refused
                throw ServiceError(kind, "'\(body.event)' refused: \(outcome.rejectionCode.map { "\($0): " } ?? "")\(outcome.message)")
            }
            return try .json(outcome)
        }
        api.post("instances/{id}/retry") { request, context -> Response in
            let caller = try context.requireCaller()
            return try .json(try await service.retryIncidents(of: try request.uuid("id", context, what: "instance"), by: caller))
        }
        api.get("incidents") { _, context -> Response in
            try .json(try await service.incidents(by: try context.requireCaller()))
        }
        api.get("ledger/verification") { request, context -> Response in
            let caller = try context.requireCaller()
            let fund = request.uri.queryParameters.get("fund")
            guard (fund?.count ?? 0) <= 200 else { throw ServiceError(.invalidArgument, "a fund id has at most 200 characters") }
            return try .json(try await service.verifyLedger(fund: fund, by: caller))
        }
        api.get("audit/verification") { _, context -> Response in
            try .json(try await service.verifyAudit(by: try context.requireCaller()))
        }
    }
}
