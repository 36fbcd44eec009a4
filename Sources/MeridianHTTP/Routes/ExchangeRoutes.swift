import MeridianCodes
import Foundation
import Hummingbird
import MeridianExchange
import MeridianService
import HTTPTypes

/// `/api/v1/exchanges`: requests, their path and the people's decisions on them.
struct ExchangeRoutes {
    let service: MeridianService
    let limit: Int

    /// Fields of the small JSON bodies.
    struct Decision: Decodable { var verb: String; var comment: String? }
    struct PartnerChoice: Decodable { var country: String }
    struct Reason: Decodable { var reason: String }
    struct Review: Decodable { var decision: String; var comment: String? }

    func add(to api: RouterGroup<MeridianRequestContext>) {
        let service = self.service, limit = self.limit

        api.get("exchanges") { request, context -> Response in
            let caller = try context.requireCaller()
            let query = request.uri.queryParameters
            let page = try Page(query: query)
            let rows = try await service.listExchanges(state: query.get("state"), country: query.get("country")?.uppercased(),
                                                       limit: page.limit + 1, before: page.cursor, by: caller)
            return try .json(page.wrap(rows, cursor: \.id))
        }

        api.post("exchanges") { request, context -> Response in
            let caller = try context.requireCaller()
            let body = try await JSONBody.document(of: request, limit: limit)
            let filed = try await service.fileRequest(try ExchangeRequest.decode(body, file: "the request body"),
                                                      key: try request.idempotencyKey(), by: caller)
            var headers: HTTPFields = [.location: "/api/v1/exchanges/\(filed.exchangeID.uuidString.lowercased())"]
            if filed.replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
            return try .json(filed, status: .created, headers: headers)
        }

        api.get("exchanges/{id}") { request, context -> Response in
            let caller = try context.requireCaller()
            return .wireJSON(document: try await service.exchangeDocument(try request.uuid("id", context, what: "exchange"), by: caller))
        }
        api.get("exchanges/{id}/status") { request, context -> Response in
            let caller = try context.requireCaller()
            return try .json(try await service.status(try request.uuid("id", context, what: "exchange"), by: caller))
        }
        api.get("exchanges/{id}/timeline") { request, context -> Response in
            let caller = try context.requireCaller()
            return try .json(try await service.timeline(try request.uuid("id", context, what: "exchange"), by: caller))
        }
        api.get("exchanges/{id}/matches") { request, context -> Response in
            let caller = try context.requireCaller()
            guard let round = try await service.matches(try request.uuid("id", context, what: "exchange"), by: caller) else {
                throw ServiceError(.notFound, "matching has not run for this exchange yet")
            }
            return try .json(round)
        }
        api.post("exchanges/{id}/screening") { request, context -> Response in
            let caller = try context.requireCaller()
            return try .json(try await service.startScreening(try request.uuid("id", context, what: "exchange"), key: try request.idempotencyKey(), by: caller))
        }
        api.post("exchanges/{id}/decisions") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try request.uuid("id", context, what: "exchange")
            let body = try await JSONBody.decode(Decision.self, from: request, fields: ["verb", "comment"], limit: limit)
            guard let verb = DeskVerb(rawValue: body.verb) else {
                throw ServiceError(.invalidData, "verb must be approve, reject or request-info, not '\(body.verb)'")
            }
            return try .json(try await service.decide(verb, exchange: id, comment: body.comment, key: try request.idempotencyKey(), by: caller))
        }
        api.post("exchanges/{id}/partner") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try request.uuid("id", context, what: "exchange")
            let body = try await JSONBody.decode(PartnerChoice.self, from: request, fields: ["country"], limit: limit)
            return try .json(try await service.selectPartner(body.country.uppercased(), exchange: id, key: try request.idempotencyKey(), by: caller))
        }
        api.post("exchanges/{id}/partner/confirmation") { request, context -> Response in
            let caller = try context.requireCaller()
            return try .json(try await service.confirmPartnership(try request.uuid("id", context, what: "exchange"), key: try request.idempotencyKey(), by: caller))
        }
        api.post("exchanges/{id}/partner/decline") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try request.uuid("id", context, what: "exchange")
            let body = try await JSONBody.decode(Reason.self, from: request, fields: ["reason"], limit: limit)
            return try .json(try await service.declinePartnership(id, reason: body.reason, key: try request.idempotencyKey(), by: caller))
        }
        api.get("exchanges/{id}/plans") { request, context -> Response in
            let caller = try context.requireCaller()
            return try .json(try await service.plans(try request.uuid("id", context, what: "exchange"), by: caller))
        }
        api.post("exchanges/{id}/plans") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try request.uuid("id", context, what: "exchange")
            let plan = try VisitPlan.decode(try await JSONBody.document(of: request, limit: limit), file: "the plan")
            let version = try await service.importPlan(plan, exchange: id, by: caller)
            return try .json(["version": version], status: .created)
        }
        api.post("exchanges/{id}/plans/submission") { request, context -> Response in
            let caller = try context.requireCaller()
            return try .json(try await service.submitPlan(try request.uuid("id", context, what: "exchange"), key: try request.idempotencyKey(), by: caller))
        }
        api.post("exchanges/{id}/reports") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try request.uuid("id", context, what: "exchange")
            let report = try ResultsReport.decode(try await JSONBody.document(of: request, limit: limit), file: "the report")
            return try .json(try await service.submitReport(report, exchange: id, key: try request.idempotencyKey(), by: caller), status: .created)
        }
        api.post("exchanges/{id}/reports/review") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try request.uuid("id", context, what: "exchange")
            let body = try await JSONBody.decode(Review.self, from: request, fields: ["decision", "comment"], limit: limit)
            guard let decision = Exchanges.ReviewDecision(rawValue: body.decision) else {
                throw ServiceError(.invalidData, "decision must be accept or revise, not '\(body.decision)'")
            }
            return try .json(try await service.reviewReport(decision, comment: body.comment, exchange: id, key: try request.idempotencyKey(), by: caller))
        }
        api.get("inbox") { _, context -> Response in
            try .json(try await service.inbox(by: try context.requireCaller()))
        }
        api.get("portfolio") { _, context -> Response in
            try .json(try await service.portfolio(by: try context.requireCaller()))
        }
    }
}
