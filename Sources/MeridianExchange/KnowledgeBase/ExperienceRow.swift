import Foundation
import PostgresNIO

/// The columns of `experiences` every read selects, and how a row becomes an ``Experience``.
enum ExperienceRow {
    /// Integers are cast to `int8` so that they decode as `Int` whatever their storage type.
    static let columns = """
        e.id, e.country_code, e.country_name, e.region, e.income_group, e.sectors, e.programme, \
        e.start_year::int8 AS start_year, e.end_year::int8 AS end_year, e.problem, e.approach, e.outcomes, \
        e.outcome_strength::int8 AS outcome_strength, e.sources, e.provenance, e.summaries::text AS summaries, \
        e.self_reported
        """

    static func decode(_ row: PostgresRow) throws -> Experience {
        let cells = row.makeRandomAccess()
        let regionCode = try cells["region"].decode(String.self)
        let incomeCode = try cells["income_group"].decode(String.self)
        let strength = try cells["outcome_strength"].decode(Int.self)
        let sectorCodes = try cells["sectors"].decode([String].self)
        guard let region = Region(rawValue: regionCode), let income = IncomeGroup(rawValue: incomeCode),
              let outcomeStrength = OutcomeStrength(rawValue: strength) else {
            throw ExchangeError(.invalidData, "experience row has a region, income group or outcome strength this build does not know")
        }
        return Experience(
            id: try cells["id"].decode(Int.self),
            countryCode: try cells["country_code"].decode(String.self),
            countryName: try cells["country_name"].decode(String.self),
            region: region,
            incomeGroup: income,
            sectors: sectorCodes.compactMap(Sector.init(rawValue:)),
            programme: try cells["programme"].decode(String.self),
            startYear: try cells["start_year"].decode(Int.self),
            endYear: try cells["end_year"].decode(Int?.self),
            problem: try cells["problem"].decode(String.self),
            approach: try cells["approach"].decode(String.self),
            outcomes: try cells["outcomes"].decode(String.self),
            outcomeStrength: outcomeStrength,
            sources: try cells["sources"].decode([String].self),
            provenance: try cells["provenance"].decode(String?.self),
            summaries: try summaries(cells["summaries"].decode(String.self)),
            selfReported: try cells["self_reported"].decode(Bool.self)
        )
    }

    /// The `summaries` column's JSON object as a dictionary of texts.
    static func summaries(_ json: String) throws -> [String: String] {
        guard let data = json.data(using: .utf8),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ExchangeError(.invalidData, "an experience's summaries are not a JSON object")
        }
        return object.compactMapValues { $0 as? String }
    }
}
