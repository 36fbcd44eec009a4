import Foundation
import MeridianExchange
import MeridianFunding

/// IATI activity files: an exchange's for those who may see it, a fund's for its staff.
extension MeridianService {
    /// The exchange's IATI activity, if the caller may see the exchange (an unknown id otherwise).
    public func iatiActivity(exchange id: UUID, publisher: IATIActivity.Organisation, by caller: Caller) async throws -> IATIActivity {
        try await exchanges.requireVisible(id, for: caller.exchangeActor)
        return try await ExchangeIATIExport(client: client, logger: logger, reportingOrg: publisher).activity(exchange: id)
    }

    /// The fund's activity and one per grant (staff who read funds).
    public func iatiActivities(fund id: String, publisher: IATIActivity.Organisation, by caller: Caller) async throws -> [IATIActivity] {
        try caller.require(anyOf: Self.fundReaders, to: "exporting a fund's IATI file")
        return try await FundIATIExport(client: client, logger: logger, reportingOrg: publisher).activities(fund: id)
    }
}
