import Foundation
import MeridianCodes

/// What an official asks for: the problem, the change wanted, how it will be measured and
/// how the countries should meet. Filing it starts an exchange.
///
/// As a file (`meridian exchange request --file`), keys are snake_case:
/// ```json
/// {"country": "RWA", "country_name": "Rwanda", "region": "sub-saharan-africa", "income_group": "low",
///  "development_goal": "…", "institutional_challenge": "…", "change_objective": "…",
///  "sectors": ["land-administration"], "instruments": ["study-visit", "videoconference"],
///  "indicators": [{"name": "Parcels registered", "unit": "%", "baseline": 12, "target": 40}]}
/// ```
/// `country_name`, `region` and `income_group` may be left out when the knowledge base
/// already has an experience of the country (they are taken from it).
public struct ExchangeRequest: Sendable, Codable, Equatable {
    /// ISO 3166-1 alpha-3 of the requesting country.
    public var country: String
    public var countryName: String?
    public var region: Region?
    public var incomeGroup: IncomeGroup?
    public var developmentGoal: String
    public var institutionalChallenge: String
    public var changeObjective: String
    public var sectors: [Sector]
    public var instruments: [Instrument]
    public var indicators: [Indicator]

    enum CodingKeys: String, CodingKey {
        case country
        case countryName = "country_name"
        case region
        case incomeGroup = "income_group"
        case developmentGoal = "development_goal"
        case institutionalChallenge = "institutional_challenge"
        case changeObjective = "change_objective"
        case sectors, instruments, indicators
    }

    /// Decodes the file's snake_case keys, also when Meridian's wire decoder has turned them
    /// into camelCase first (``SnakeCaseKeys``).
    public init(from decoder: any Decoder) throws {
        let (container, key) = try decoder.fileContainer(CodingKeys.self)
        country = try container.decode(String.self, forKey: key(.country))
        countryName = try container.decodeIfPresent(String.self, forKey: key(.countryName))
        region = try container.decodeIfPresent(Region.self, forKey: key(.region))
        incomeGroup = try container.decodeIfPresent(IncomeGroup.self, forKey: key(.incomeGroup))
        developmentGoal = try container.decode(String.self, forKey: key(.developmentGoal))
        institutionalChallenge = try container.decode(String.self, forKey: key(.institutionalChallenge))
        changeObjective = try container.decode(String.self, forKey: key(.changeObjective))
        sectors = try container.decode([Sector].self, forKey: key(.sectors))
        instruments = try container.decode([Instrument].self, forKey: key(.instruments))
        indicators = try container.decode([Indicator].self, forKey: key(.indicators))
    }

    public init(
        country: String, countryName: String? = nil, region: Region? = nil, incomeGroup: IncomeGroup? = nil,
        developmentGoal: String, institutionalChallenge: String, changeObjective: String,
        sectors: [Sector], instruments: [Instrument], indicators: [Indicator]
    ) {
        self.country = country
        self.countryName = countryName
        self.region = region
        self.incomeGroup = incomeGroup
        self.developmentGoal = developmentGoal
        self.institutionalChallenge = institutionalChallenge
        self.changeObjective = changeObjective
        self.sectors = sectors
        self.instruments = instruments
        self.indicators = indicators
    }

    /// The words matching searches: goal, challenge and objective together.
    public var matchText: String {
        [developmentGoal, institutionalChallenge, changeObjective].joined(separator: " ")
    }

    /// Every problem of the request at once, each naming its field; empty when it is valid.
    public func problems() -> [String] {
        var problems: [String] = []
        if !ISO3166.isAlpha3(country) {
            let hint = ISO3166.alpha3(country).map { "write \($0)" } ?? "such as RWA"
            problems.append("country: '\(InputText.printable(country))' is not an ISO 3166-1 alpha-3 code (\(hint))")
        }
        var texts = [("development_goal", developmentGoal, InputText.Limit.paragraph), ("institutional_challenge", institutionalChallenge, InputText.Limit.paragraph),
                     ("change_objective", changeObjective, InputText.Limit.paragraph), ("country_name", countryName ?? "", 100)]
        for (index, indicator) in indicators.enumerated() {
            texts.append(("indicators[\(index)].name", indicator.name, InputText.Limit.title))
            texts.append(("indicators[\(index)].unit", indicator.unit, 40))
        }
        for (field, text, maximum) in texts {
            if let problem = InputText.problem(text, field: field, maximum: maximum, multiline: maximum == InputText.Limit.paragraph) {
                problems.append(problem)
            }
        }
        if let countryName, countryName.trimmingCharacters(in: .whitespaces).isEmpty || countryName.count > 100 {
            problems.append("country_name: give the country's name, at most 100 characters")
        }
        for (field, text) in [("development_goal", developmentGoal), ("institutional_challenge", institutionalChallenge),
                              ("change_objective", changeObjective)] {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty {
                problems.append("\(field): is empty; describe it in a sentence or two")
            } else if trimmed.count < 10 {
                problems.append("\(field): '\(trimmed)' is too short to match on (at least 10 characters)")
            } else if text.count > 4_000 {
                problems.append("\(field): has \(text.count) characters, at most 4,000")
            }
        }
        if sectors.isEmpty { problems.append("sectors: name at least one of \(Sector.codes)") }
        if sectors.count > 8 { problems.append("sectors: at most 8, not \(sectors.count)") }
        if Set(sectors).count != sectors.count { problems.append("sectors: a sector is named twice") }
        if instruments.isEmpty { problems.append("instruments: name at least one of \(Instrument.codes)") }
        if Set(instruments).count != instruments.count { problems.append("instruments: an instrument is named twice") }
        if indicators.isEmpty { problems.append("indicators: give at least one, with a baseline and a target") }
        if indicators.count > 20 { problems.append("indicators: at most 20, not \(indicators.count)") }
        var names: Set<String> = []
        for (index, indicator) in indicators.enumerated() {
            let field = "indicators[\(index)]"
            let name = indicator.name.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { problems.append("\(field).name: is empty") }
            if !names.insert(name.lowercased()).inserted { problems.append("\(field).name: '\(name)' is named twice") }
            if indicator.unit.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(field).unit: is empty (say what it counts: %, days, parcels)") }
            if indicator.baseline == indicator.target {
                problems.append("\(field): the target equals the baseline (\(indicator.baseline)); a target says what should change")
            }
        }
        return problems
    }

    /// Throws every problem at once as `.invalidData`.
    public func validate() throws {
        let problems = problems()
        guard problems.isEmpty else {
            throw ExchangeError(.invalidData, "the request is not valid: " + problems.joined(separator: "; "),
                                hint: "correct \(problems.count == 1 ? "it" : "them") and file the request again")
        }
    }

    /// Reads a request file (JSON), with the decoder's complaint turned into a clear error.
    public static func decode(_ data: Data, file: String) throws -> ExchangeRequest {
        try FileDecoding.decode(ExchangeRequest.self, data, file: file, help: "`meridian exchange request --help`")
    }
}
