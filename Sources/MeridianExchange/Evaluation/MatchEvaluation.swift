import Foundation

/// Measures matching against real, documented exchanges: for each, whether the country whose
/// experience the requester actually used comes first (top-1), in the five proposed (top-5),
/// and at what rank (mean reciprocal rank over the five; 0 when absent), overall and per
/// language of the request.
///
/// The evaluation file (`Tests/Evaluation/eval-exchanges.json` ships one) is a JSON array of
/// exchanges, each with `requesting_country` (alpha-3), `expected_country` (alpha-3, or a list
/// of them when the requester learned from several), `problem` (an object of the request's
/// text per language code, `en`, `fr`, `es`, `pt`, any of them), optional `sectors`, `id` and
/// `source`. Every language of every exchange is one case.
///
/// Against over-fitting, the exchanges are split in two halves by their position in the file
/// (``Half``): method changes and weights are tuned on one and the figures reported on both.
public enum MatchEvaluation {
    /// A half of the exchanges: the 1st, 3rd, 5th … of the file tune, the 2nd, 4th … are held
    /// out. By position, not by id or country, so both halves mix sectors and answers as the
    /// file does, and a new exchange appended falls into one without moving the others.
    public enum Half: String, Sendable, Codable, CaseIterable {
        case tuning
        case heldOut = "held-out"

        /// The half of the exchange at 0-based `position` in the file.
        static func of(position: Int) -> Half { position.isMultiple(of: 2) ? .tuning : .heldOut }
    }

    /// One request to match and the countries that count as right.
    public struct Case: Sendable, Equatable {
        public var id: String
        public var requestingCountry: String
        public var expected: [String]
        public var language: Language
        public var text: String
        public var sectors: [Sector]
        /// The programme the requester learned from, when the file names it.
        public var expectedProgramme: String?
        /// Which half of the exchanges the case's exchange is in.
        public var half: Half = .tuning
    }

    /// What the matcher proposed for a case.
    public struct Outcome: Sendable {
        public var `case`: Case
        /// The proposed countries, best first (at most five).
        public var proposed: [String]
        /// The language the matcher read the text as.
        public var detected: Language

        public init(case: Case, proposed: [String], detected: Language) {
            self.case = `case`
            self.proposed = proposed
            self.detected = detected
        }

        /// 1-based rank of the first expected country among the proposed, or `nil`.
        public var rank: Int? {
            proposed.firstIndex(where: `case`.expected.contains).map { $0 + 1 }
        }
    }

    /// Hit rates and mean reciprocal rank over a set of outcomes.
    public struct Figures: Sendable, Codable, Equatable {
        public var cases: Int
        public var top1: Double
        public var top5: Double
        public var meanReciprocalRank: Double
        /// Cases whose language was detected as the file states it.
        public var languageDetected: Double
    }

    /// The figures overall and per language, and the cases missed.
    public struct Report: Sendable, Codable, Equatable {
        public var overall: Figures
        public var byLanguage: [String: Figures]
        /// Over the cases whose expected programme is in the catalogue (when the file names
        /// programmes and the catalogue is given): what the method achieves where it can.
        public var inCatalogue: Figures?
        /// By half of the exchanges (``Half``): `tuning` and `held-out`.
        public var byHalf: [String: Figures]
        /// `id (language): expected X, proposed A B C` for each case whose country was not in the top five.
        public var missed: [String]
    }

    /// Reads an evaluation file.
    /// - Throws: ``ExchangeError`` `.invalidData` naming each bad entry.
    public static func parse(_ data: Data) throws -> [Case] {
        guard let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw ExchangeError(.invalidData, "an evaluation file is a JSON array of exchange objects")
        }
        var cases: [Case] = []
        var problems: [String] = []
        for (index, entry) in array.enumerated() {
            let id = (entry["id"] as? String) ?? (entry["id"] as? Int).map(String.init) ?? "#\(index + 1)"
            let country = (entry["requesting_country"] as? String)?.uppercased()
            let expected: [String]
            if let one = entry["expected_country"] as? String {
                expected = [one.uppercased()]
            } else if let many = entry["expected_country"] as? [String] {
                expected = many.map { $0.uppercased() }
            } else {
                expected = []
            }
            let texts = entry["problem"] as? [String: String] ?? [:]
            let sectorCodes = entry["sectors"] as? [String] ?? []
            let sectors = sectorCodes.compactMap(Sector.init(rawValue:))
            guard let country, !expected.isEmpty, !texts.isEmpty, sectors.count == sectorCodes.count else {
                problems.append("\(id): needs requesting_country, expected_country, problem {language: text} and known sectors")
                continue
            }
            for (code, text) in texts.sorted(by: { $0.key < $1.key }) {
                guard let language = Language(rawValue: code) else {
                    problems.append("\(id): unknown language '\(code)'")
                    continue
                }
                cases.append(Case(id: id, requestingCountry: country, expected: expected, language: language, text: text, sectors: sectors,
                                  expectedProgramme: entry["expected_programme"] as? String, half: .of(position: index)))
            }
        }
        guard problems.isEmpty else {
            throw ExchangeError(.invalidData, "\(problems.count) bad entr\(problems.count == 1 ? "y" : "ies") in the evaluation file: \(problems.joined(separator: "; "))")
        }
        return cases
    }

    /// The figures of `outcomes`; with `catalogue` (the experiences matched against), also
    /// those of the cases whose expected programme it holds.
    public static func report(_ outcomes: [Outcome], catalogue: [Experience]? = nil) -> Report {
        var byLanguage: [String: Figures] = [:]
        for language in Language.allCases {
            let subset = outcomes.filter { $0.case.language == language }
            if !subset.isEmpty { byLanguage[language.rawValue] = figures(subset) }
        }
        var byHalf: [String: Figures] = [:]
        for half in Half.allCases {
            let subset = outcomes.filter { $0.case.half == half }
            if !subset.isEmpty { byHalf[half.rawValue] = figures(subset) }
        }
        let missed = outcomes.filter { ($0.rank ?? 6) > 5 }.map {
            "\($0.case.id) (\($0.case.language.rawValue)): expected \($0.case.expected.joined(separator: "/")), proposed \($0.proposed.joined(separator: " "))"
        }
        var inCatalogue: Figures?
        if let catalogue {
            let held = Set(catalogue.map { "\($0.countryCode)\u{0}\($0.programme)" })
            let reachable = outcomes.filter { outcome in
                guard let programme = outcome.case.expectedProgramme else { return false }
                return outcome.case.expected.contains { held.contains("\($0)\u{0}\(programme)") }
            }
            if !reachable.isEmpty { inCatalogue = figures(reachable) }
        }
        return Report(overall: figures(outcomes), byLanguage: byLanguage, inCatalogue: inCatalogue, byHalf: byHalf, missed: missed)
    }

    static func figures(_ outcomes: [Outcome]) -> Figures {
        let count = Double(max(outcomes.count, 1))
        func share(_ predicate: (Outcome) -> Bool) -> Double { rounded(Double(outcomes.filter(predicate).count) / count) }
        return Figures(
            cases: outcomes.count,
            top1: share { $0.rank == 1 },
            top5: share { ($0.rank ?? 6) <= 5 },
            meanReciprocalRank: rounded(outcomes.reduce(0) { $0 + ($1.rank.map { 1 / Double($0) } ?? 0) } / count),
            languageDetected: share { $0.detected == $0.case.language }
        )
    }

    private static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    /// Matches every case with `matcher` (profiles from `countries`, the language detected
    /// from the text as for any request) and returns the outcomes.
    /// - Throws: ``ExchangeError`` `.invalidData` for a requesting country the table cannot place.
    public static func run(_ cases: [Case], matcher: Matcher, countries: CountryTable) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        for item in cases {
            let result = try await matcher.match(request(for: item, countries: countries))
            outcomes.append(Outcome(case: item, proposed: result.matches.map(\.countryCode), detected: result.language ?? .english))
        }
        return outcomes
    }

    /// The request an official of the case's country would make: its text and sectors, the
    /// region and income group from the country table, the language left to detect.
    /// - Throws: ``ExchangeError`` `.invalidData` for a requesting country the table cannot place.
    static func request(for item: Case, countries: CountryTable) throws -> MatchRequest {
        guard let country = countries.country(item.requestingCountry), let region = country.region, let income = country.incomeGroup else {
            throw ExchangeError(.invalidData, "\(item.id): \(item.requestingCountry) has no region or income group in the country table")
        }
        return MatchRequest(text: item.text, sectors: item.sectors, countryCode: country.alpha3, region: region, incomeGroup: income)
    }
}
