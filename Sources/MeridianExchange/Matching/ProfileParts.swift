/// What each value of an experience's profile — shared sectors, region, income group,
/// evidence — adds to a match's score for one request, read from ``MatchScorer`` itself.
///
/// The postings path orders its candidate pools by these parts plus an approximate text
/// component (``Matcher/postingsMatches(terms:factors:scorer:logger:)``), so it looks first
/// where the score is high; the parts come from scoring a blank experience that differs in one
/// value at a time, so a change to the score's weights or components moves the pools with it.
/// Candidates are always scored by ``MatchScorer`` in full afterwards: these parts only decide
/// which rows are read.
struct ProfileParts: Equatable {
    /// The request's distinct sectors, in its order.
    var sectors: [Sector]
    /// By shared sector count, 0…`sectors.count`.
    var sector: [Double]
    var region: [Region: Double]
    var income: [IncomeGroup: Double]
    /// By ``OutcomeStrength`` and whether the evidence is self-reported (no feedback).
    var outcome: [Outcome: Double]

    struct Outcome: Hashable {
        var strength: OutcomeStrength
        var selfReported: Bool
    }

    /// One (region, income group, evidence) combination and what it adds.
    struct Combination: Equatable {
        var region: Region
        var income: IncomeGroup
        var outcome: Outcome
        var value: Double
    }

    init(scorer: MatchScorer) {
        var seen: Set<Sector> = []
        let distinct = scorer.request.sectors.filter { seen.insert($0).inserted }
        func parts(_ change: (inout Experience) -> Void) -> Match.ScoreParts { Self.parts(scorer, change) }
        let sector = (0...distinct.count).map { shared in parts { $0.sectors = Array(distinct.prefix(shared)) }.sector }
        let region = Dictionary(uniqueKeysWithValues: Region.allCases.map { value in (value, parts { $0.region = value }.region) })
        let income = Dictionary(uniqueKeysWithValues: IncomeGroup.allCases.map { value in (value, parts { $0.incomeGroup = value }.income) })
        var outcome: [Outcome: Double] = [:]
        for strength in OutcomeStrength.allCases {
            for selfReported in [false, true] {
                outcome[Outcome(strength: strength, selfReported: selfReported)] = parts {
                    $0.outcomeStrength = strength
                    $0.selfReported = selfReported
                }.outcome
            }
        }
        self.sectors = distinct
        self.sector = sector
        self.region = region
        self.income = income
        self.outcome = outcome
    }

    /// The parts ``MatchScorer`` gives a blank experience of the request's region and income
    /// group, without sectors, evidence or feedback, after `change` (and with `feedback`).
    static func parts(_ scorer: MatchScorer, feedback: FeedbackTally = .none, _ change: (inout Experience) -> Void) -> Match.ScoreParts {
        var experience = Experience(
            id: 0, countryCode: "", countryName: "", region: scorer.request.region, incomeGroup: scorer.request.incomeGroup,
            sectors: [], programme: "", startYear: 0, endYear: nil, problem: "", approach: "", outcomes: "",
            outcomeStrength: .none, sources: []
        )
        change(&experience)
        return scorer.score(MatchScorer.Candidate(experience: experience, rank: 0, matchedTerms: [], feedback: feedback)).parts
    }

    /// Every (region, income group, evidence) combination, best first (ties in a fixed order).
    var combinations: [Combination] {
        var all: [Combination] = []
        for region in Region.allCases {
            for income in IncomeGroup.allCases {
                for (key, value) in outcome {
                    all.append(Combination(region: region, income: income, outcome: key, value: self.region[region]! + self.income[income]! + value))
                }
            }
        }
        return all.sorted { lhs, rhs in
            if lhs.value != rhs.value { return lhs.value > rhs.value }
            return (lhs.region.rawValue, lhs.income.rank, lhs.outcome.strength.rawValue, lhs.outcome.selfReported ? 1 : 0)
                < (rhs.region.rawValue, rhs.income.rank, rhs.outcome.strength.rawValue, rhs.outcome.selfReported ? 1 : 0)
        }
    }

    /// The profile's parts as the arrays the candidate statement looks them up in: codes and
    /// values side by side, the outcome's keyed by `strength × 2 + self-reported`.
    var arrays: (regions: [String], regionParts: [Double], incomes: [String], incomeParts: [Double], outcomeParts: [Double]) {
        let regions = Region.allCases
        let incomes = IncomeGroup.allCases
        let outcomes = OutcomeStrength.allCases.flatMap { strength in
            [false, true].map { outcome[Outcome(strength: strength, selfReported: $0)]! }
        }
        return (regions.map(\.rawValue), regions.map { region[$0]! }, incomes.map(\.rawValue), incomes.map { income[$0]! }, outcomes)
    }
}
