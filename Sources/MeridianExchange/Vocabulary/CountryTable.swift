import Foundation

/// Every economy the World Bank classifies, with its ISO 3166 codes, its names in the four
/// languages, its region and its income group (`Resources/countries.json`, which says its
/// source and date): what lets any country ask without typing its own region and income group.
public struct CountryTable: Sendable {
    /// One economy.
    public struct Country: Sendable, Codable, Equatable {
        /// ISO 3166-1 alpha-2 (`LA`); `nil` for an economy ISO does not list (the Channel Islands).
        public var alpha2: String?
        /// ISO 3166-1 alpha-3 (`LAO`).
        public var alpha3: String
        /// Names by language code (`en`, `fr`, `es`, `pt`).
        public var names: [String: String]
        /// `nil` for a territory the World Bank does not place in a region.
        public var region: Region?
        /// `nil` for an economy the World Bank does not classify (for lack of data, or not an
        /// economy of its list).
        public var incomeGroup: IncomeGroup?

        enum CodingKeys: String, CodingKey {
            case alpha2, alpha3, region
            case names = "name"
            case incomeGroup = "income_group"
        }

        /// The English short name.
        public var name: String { names[Language.english.rawValue] ?? alpha3 }

        /// The name in `language`, else the English one.
        public func name(in language: Language) -> String { names[language.rawValue] ?? name }
    }

    /// Where the classification comes from, its date, and what was and was not checked.
    public var source: String
    public var date: String
    public var notes: String?
    public var countries: [Country]
    private let byCode: [String: Int]

    public init(source: String, date: String, notes: String? = nil, countries: [Country]) {
        self.source = source
        self.date = date
        self.notes = notes
        self.countries = countries
        var byCode: [String: Int] = [:]
        for (index, country) in countries.enumerated() {
            byCode[country.alpha3] = index
            if let alpha2 = country.alpha2 { byCode[alpha2] = index }
        }
        self.byCode = byCode
    }

    private struct File: Decodable {
        var source: String
        var date: String
        var notes: String?
        var economies: [Country]
    }

    /// Parses a table in the bundled file's format.
    /// - Throws: ``ExchangeError`` `.invalidData` naming what is wrong.
    public static func parse(_ data: Data) throws -> CountryTable {
        do {
            let file = try JSONDecoder().decode(File.self, from: data)
            return CountryTable(source: file.source, date: file.date, notes: file.notes, countries: file.economies)
        } catch {
            throw ExchangeError(.invalidData, "the country table is not valid: \(error)", underlying: error)
        }
    }

    /// The table that ships with Meridian.
    /// - Throws: ``ExchangeError`` `.invalidData` if the bundled file is bad (a defect the tests catch).
    public static func shipped() throws -> CountryTable {
        guard let url = Bundle.module.url(forResource: "countries", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            throw ExchangeError(.invalidData, "the bundled country table is missing")
        }
        return try parse(data)
    }

    /// The economy with ISO alpha-3 or alpha-2 `code` (any case), or `nil`.
    public func country(_ code: String) -> Country? {
        byCode[code.uppercased()].map { countries[$0] }
    }
}
