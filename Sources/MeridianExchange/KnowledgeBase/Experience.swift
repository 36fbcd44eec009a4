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

    public init(
        id: Int? = nil, countryCode: String, countryName: String, region: Region, incomeGroup: IncomeGroup,
        sectors: [Sector], programme: String, startYear: Int, endYear: Int?, problem: String, approach: String,
        outcomes: String, outcomeStrength: OutcomeStrength, sources: [String]
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
    }

    /// `2005–2013`, `2005–` while it runs.
    public var years: String {
        "\(startYear)–\(endYear.map(String.init) ?? "")"
    }
}
