import Foundation
import MeridianCodes

/// What came of an exchange, as the requesting official reports it: each indicator's actual
/// value (set against the request's baseline and target), the intermediate outcomes
/// achieved, lessons, and feedback from both countries.
///
/// As a file (`meridian exchange report submit ID FILE`):
/// ```json
/// {"indicators": [{"name": "Parcels registered", "actual": 31}],
///  "outcomes": [{"kind": "new-knowledge", "description": "…"}],
///  "lessons": ["…"],
///  "feedback": {"requesting_country": "…", "partner_country": "…"}}
/// ```
public struct ResultsReport: Sendable, Codable, Equatable {
    public struct Actual: Sendable, Codable, Equatable {
        /// The request indicator's name.
        public var name: String
        public var actual: Decimal

        public init(name: String, actual: Decimal) {
            self.name = name
            self.actual = actual
        }
    }

    /// The intermediate outcomes a knowledge exchange aims at.
    public enum OutcomeKind: String, Sendable, Codable, CaseIterable {
        case newKnowledge = "new-knowledge"
        case enhancedSkills = "enhanced-skills"
        case improvedConsensus = "improved-consensus"
        case enhancedConnectivity = "enhanced-connectivity"
        case newAndImprovedActions = "new-and-improved-actions"

        public static var codes: String { allCases.map(\.rawValue).joined(separator: ", ") }
    }

    public struct Outcome: Sendable, Codable, Equatable {
        public var kind: OutcomeKind
        public var description: String

        public init(kind: OutcomeKind, description: String) {
            self.kind = kind
            self.description = description
        }
    }

    public struct Feedback: Sendable, Codable, Equatable {
        public var requestingCountry: String
        public var partnerCountry: String

        enum CodingKeys: String, CodingKey {
            case requestingCountry = "requesting_country"
            case partnerCountry = "partner_country"
        }

        /// Decodes the file's snake_case keys, also when Meridian's wire decoder has turned
        /// them into camelCase first (``SnakeCaseKeys``).
        public init(from decoder: any Decoder) throws {
            let (container, key) = try decoder.fileContainer(CodingKeys.self)
            requestingCountry = try container.decode(String.self, forKey: key(.requestingCountry))
            partnerCountry = try container.decode(String.self, forKey: key(.partnerCountry))
        }

        public init(requestingCountry: String, partnerCountry: String) {
            self.requestingCountry = requestingCountry
            self.partnerCountry = partnerCountry
        }
    }

    public var indicators: [Actual]
    public var outcomes: [Outcome]
    public var lessons: [String]
    public var feedback: Feedback

    public init(indicators: [Actual], outcomes: [Outcome], lessons: [String], feedback: Feedback) {
        self.indicators = indicators
        self.outcomes = outcomes
        self.lessons = lessons
        self.feedback = feedback
    }

    /// Every problem at once, against the request's indicators; empty when valid.
    public func problems(against requested: [Indicator]) -> [String] {
        var problems: [String] = []
        let wanted = Dictionary(requested.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var seen: Set<String> = []
        for (index, actual) in indicators.enumerated() {
            let name = actual.name.lowercased()
            if wanted[name] == nil {
                problems.append("indicators[\(index)].name: '\(actual.name)' is not an indicator of the request (\(requested.map(\.name).joined(separator: ", ")))")
            }
            if !seen.insert(name).inserted { problems.append("indicators[\(index)].name: '\(actual.name)' is reported twice") }
        }
        for indicator in requested where !seen.contains(indicator.name.lowercased()) {
            problems.append("indicators: no actual value for '\(indicator.name)' (baseline \(indicator.baseline), target \(indicator.target))")
        }
        if outcomes.isEmpty { problems.append("outcomes: name at least one intermediate outcome (\(OutcomeKind.codes))") }
        for (index, outcome) in outcomes.enumerated() where outcome.description.trimmingCharacters(in: .whitespaces).count < 10 {
            problems.append("outcomes[\(index)].description: describe what changed in a sentence (at least 10 characters)")
        }
        if lessons.isEmpty || lessons.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            problems.append("lessons: give at least one lesson learned")
        }
        if feedback.requestingCountry.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append("feedback.requesting_country: the requesting country's feedback is empty")
        }
        if feedback.partnerCountry.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append("feedback.partner_country: the partner country's feedback is empty")
        }
        problems += textProblems()
        let length = (outcomes.map(\.description) + lessons + [feedback.requestingCountry, feedback.partnerCountry]).reduce(0) { $0 + $1.count }
        if length > 20_000 { problems.append("the report's texts have \(length) characters, at most 20,000") }
        return problems
    }

    /// The problems of the report's texts alone (plain text, within the limits), which need
    /// no database: checked before any SQL runs.
    public func textProblems() -> [String] {
        var problems: [String] = []
        var texts = [("feedback.requesting_country", feedback.requestingCountry), ("feedback.partner_country", feedback.partnerCountry)]
        texts += outcomes.enumerated().map { ("outcomes[\($0.offset)].description", $0.element.description) }
        texts += lessons.enumerated().map { ("lessons[\($0.offset)]", $0.element) }
        texts += indicators.enumerated().map { ("indicators[\($0.offset)].name", $0.element.name) }
        for (field, text) in texts {
            if let problem = InputText.problem(text, field: field, maximum: InputText.Limit.paragraph) { problems.append(problem) }
        }
        if lessons.count > 50 { problems.append("lessons: at most 50, not \(lessons.count)") }
        return problems
    }

    /// Each indicator's progress from baseline towards target, for people: `31 % (baseline 12, target 40: 68 % of the way)`.
    public static func progress(_ actual: Decimal, of indicator: Indicator) -> String {
        let span = indicator.target - indicator.baseline
        var share = span == 0 ? Decimal(0) : (actual - indicator.baseline) / span * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &share, 0, .plain)
        return "\(actual) \(indicator.unit) (baseline \(indicator.baseline), target \(indicator.target): \(rounded) % of the way)"
    }
}
