import Foundation
import HTTPTypes
import Hummingbird
import MeridianCodes
import MeridianFunding
import MeridianService

/// `/api/v1/funds/{id}/iati` and `/api/v1/exchanges/{id}/iati`: the IATI activity file (2.03)
/// of a fund or an exchange, as `meridian export iati` writes it, for whoever may read them.
struct ExportRoutes {
    let service: MeridianService

    func add(to api: RouterGroup<MeridianRequestContext>) {
        let service = self.service

        api.get("funds/{id}/iati") { request, context -> Response in
            let caller = try context.requireCaller()
            let activities = try await service.iatiActivities(fund: context.parameters.get("id") ?? "", publisher: try Self.publisher(request), by: caller)
            return Self.file(activities)
        }
        api.get("exchanges/{id}/iati") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try request.uuid("id", context, what: "exchange")
            return Self.file([try await service.iatiActivity(exchange: id, publisher: try Self.publisher(request), by: caller)])
        }
    }

    /// The publisher from `reporting_org`, `reporting_org_name` and `reporting_org_type`, each
    /// defaulting to Meridian's own facility.
    static func publisher(_ request: Request) throws -> IATIActivity.Organisation {
        let query = request.uri.queryParameters
        let ref = query.get("reporting_org") ?? "XM-MERIDIAN"
        let type = query.get("reporting_org_type") ?? "40"
        let name = query.get("reporting_org_name") ?? "Meridian Knowledge Exchange Facility"
        for (field, value) in [("reporting_org", ref), ("reporting_org_type", type), ("reporting_org_name", name)]
        where value.trimmingCharacters(in: .whitespaces).isEmpty || value.count > 500 {
            throw ServiceError(.invalidArgument, "\(field) must hold 1 to 500 characters")
        }
        return IATIActivity.Organisation(ref: ref, type: type, name: name)
    }

    /// The XML, with the number of activities it holds in `Meridian-Activities`.
    static func file(_ activities: [IATIActivity]) -> Response {
        .text(IATIActivityWriter.write(activities), contentType: "application/xml; charset=utf-8", status: .ok,
              headers: [HTTPField.Name("Meridian-Activities")!: String(activities.count)])
    }
}
