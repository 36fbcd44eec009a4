/// What one country did about a development problem, and what came of it: one row of the
/// knowledge base that matching searches.
public struct Experience: Codable, Sendable, Equatable {
    /// The database id; `nil` until stored.
    public var id: Int?
    /// ISO 3166-1 alpha-3, upper case (`RWA`).
    public var countryCode: String
    public var countryName: String
    public var region: Region
    public var incomeGroup: IncomeGroup
    /// At least one, from the controlled list.
    public var sectors: [Sector]
    /// The programme's name; unique per country, which makes imports idempotent.
    public var programme: String
    public var startYear: Int
    /// `nil` while the programme runs, or when it has no clear end.
    public var endYear: Int?
    public var problem: String
    public var approach: String
    public var outcomes: String
    public var outcomeStrength: OutcomeStrength
    /// URLs or citations; at least one.
    public var sources: [String]
    /// What was checked against which source, and what is not confirmed; required in the
    /// shipped catalogue, optional in a user's import.
    public var provenance: String?
    /// One sentence per language code (`en`, `fr`, `es`, `pt`), any of them.
    public var summaries: [String: String]
    /// The evidence is the country's own report of an exchange (published by Meridian), not an
    /// independent source; the matcher weighs it below independent evaluations.
    public var selfReported: Bool

    public init(
        id: Int? = nil, countryCode: String, countryName: String, region: Region, incomeGroup: IncomeGroup,
        sectors: [Sector], programme: String, startYear: Int, endYear: Int?, problem: String, approach: String,
        outcomes: String, outcomeStrength: OutcomeStrength, sources: [String],
        provenance: String? = nil, summaries: [String: String] = [:], selfReported: Bool = false
    ) {
        self.id = id
        self.countryCode = countryCode
        self.countryName = countryName
        self.region = region
        self.incomeGroup = incomeGroup
        self.sectors = sectors
        self.programme = programme
        self.startYear = startYear
        self.endYear = endYear
        self.problem = problem
        self.approach = approach
        self.outcomes = outcomes
        self.outcomeStrength = outcomeStrength
        self.sources = sources
        self.provenance = provenance
        self.summaries = summaries
        self.selfReported = selfReported
    }

    /// The summary in `language`, else the English one (with `.english`), else `nil`.
    public func summary(in language: Language) -> (text: String, language: Language)? {
        if let text = summaries[language.rawValue] { return (text, language) }
        if let text = summaries[Language.english.rawValue] { return (text, .english) }
        return nil
    }

    /// `2005–2013`, `2005–` while it runs.
    public var years: String {
        "\(startYear)–\(endYear.map(String.init) ?? "")"
    }
}
