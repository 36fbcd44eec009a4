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
    /// The columns a stored request is read from (alias `r` for `exchange_requests`).
    static let columns = """
        r.country_code, r.country_name, r.region, r.income_group, r.development_goal, r.institutional_challenge, r.change_objective, \
        r.sectors, r.instruments, r.indicators::text, r.filed_by, r.filed_at
        """
    typealias Columns = (String, String, String, String, String, String, String, [String], [String], String, String, Date)

    static func read(_ exchange: UUID, on connection: PostgresConnection, logger: Logger) async throws -> StoredRequest {
        let rows = try await connection.query("""
            SELECT \(unescaped: columns) FROM exchange_requests r WHERE r.exchange_id = \(exchange)
            """, logger: logger).collect()
        guard let row = rows.first else {
            throw ExchangeError(.notFound, "no exchange has the id \(exchange.uuidString.lowercased())", hint: "see `meridian exchange list`")
        }
        return try stored(try row.decode(Columns.self))
    }

    /// The stored request of ``columns``' values.
    static func stored(_ columns: Columns) throws -> StoredRequest {
        let (country, name, region, income, goal, challenge, objective, sectors, instruments, indicators, by, at) = columns
        let request = ExchangeRequest(
            country: country, countryName: name, region: Region(rawValue: region), incomeGroup: IncomeGroup(rawValue: income),
            developmentGoal: goal, institutionalChallenge: challenge, changeObjective: objective,
            sectors: sectors.compactMap(Sector.init(rawValue:)), instruments: instruments.compactMap(Instrument.init(rawValue:)),
            indicators: try JSONText.decode([Indicator].self, indicators))
        return StoredRequest(request: request, filedBy: by, filedAt: at)
    }
}
