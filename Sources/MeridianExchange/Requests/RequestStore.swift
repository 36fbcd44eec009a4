import Foundation
import Logging
import PostgresNIO

/// A filed request as stored: the request with its country completed, who filed it and when.
public struct StoredRequest: Sendable, Codable, Equatable {
    public var request: ExchangeRequest
    public var filedBy: String
    public var filedAt: Date

    /// The request's country, name, region and income group (filled in at filing).
    public var country: String { request.country }
    public var indicators: [Indicator] { request.indicators }
}

enum RequestStore {
    static func read(_ exchange: UUID, on connection: PostgresConnection, logger: Logger) async throws -> StoredRequest {
        let rows = try await connection.query("""
            SELECT country_code, country_name, region, income_group, development_goal, institutional_challenge, change_objective,
                   sectors, instruments, indicators::text, filed_by, filed_at
            FROM exchange_requests WHERE exchange_id = \(exchange)
            """, logger: logger).collect()
        guard let row = rows.first else {
            throw ExchangeError(.notFound, "no exchange has the id \(exchange.uuidString.lowercased())", hint: "see `meridian exchange list`")
        }
        let (country, name, region, income, goal, challenge, objective, sectors, instruments, indicators, by, at) =
            try row.decode((String, String, String, String, String, String, String, [String], [String], String, String, Date).self)
        let request = ExchangeRequest(
            country: country, countryName: name, region: Region(rawValue: region), incomeGroup: IncomeGroup(rawValue: income),
            developmentGoal: goal, institutionalChallenge: challenge, changeObjective: objective,
            sectors: sectors.compactMap(Sector.init(rawValue:)), instruments: instruments.compactMap(Instrument.init(rawValue:)),
            indicators: try JSONText.decode([Indicator].self, indicators))
        return StoredRequest(request: request, filedBy: by, filedAt: at)
    }
}
