import Foundation

/// How much each part of a match counts. The defaults were set on the evaluation set of real
/// exchanges (`meridian bench match --eval`, docs/knowledge-base.md): real partners are often
/// in another region and income group, so proximity weighs 0.05 each, and the text rank,
/// weighted by rarity since then, half.
/// A match's score is the sum over the parts of
/// `weight × component`, each component between 0 and 1; with the defaults (which sum to 1)
/// a score is between 0 and 1.
///
/// | part | component | default |
/// |---|---|---|
/// | text | `r / (r + textHalfPoint)`, r = the request's words' weights in the experience, each times its rarity (``TermWeight``), textHalfPoint 8 | 0.50 |
/// | sector | shared sectors ÷ the request's sectors | 0.25 |
/// | region | 1 same region, 0.5 neighbouring region, 0 otherwise | 0.05 |
/// | income | 1 − (steps between income groups) ÷ 3 | 0.05 |
/// | outcome | evidence + feedback, between 0 and 1 (below) | 0.15 |
///
/// The outcome component is the evidence, outcome strength ÷ 3, times `selfReportedFactor`
/// (0.5) when the experience is an exchange's own report rather than an independent source,
/// plus officials' feedback: `feedbackStep` (0.05) for each official who found it useful,
/// minus as much for each who did not, the sum capped at ± `feedbackCap` (0.15), so that
/// three net votes move it at most as much as half a step of evidence and feedback can never
/// turn a self-report into an evaluation.
public struct MatchingWeights: Sendable, Codable, Equatable {
    public var text: Double
    public var sector: Double
    public var region: Double
    public var income: Double
    public var outcome: Double
    /// The `ts_rank_cd` at which the text component is 0.5; it approaches 1 for higher ranks.
    public var textHalfPoint: Double
    /// Matches scoring less are not proposed; fewer than five above it is reported.
    public var minimumScore: Double
    /// What self-reported evidence (an exchange's own results report) counts for, as a
    /// fraction of the same strength from an independent source.
    public var selfReportedFactor: Double
    /// What each official's useful (or not useful) vote adds to (or takes from) the outcome component.
    public var feedbackStep: Double
    /// The most feedback can add to or take from the outcome component.
    public var feedbackCap: Double

    public init(
        text: Double = 0.50, sector: Double = 0.25, region: Double = 0.05, income: Double = 0.05,
        outcome: Double = 0.15, textHalfPoint: Double = 8.0, minimumScore: Double = 0.35,
        selfReportedFactor: Double = 0.5, feedbackStep: Double = 0.05, feedbackCap: Double = 0.15
    ) {
        self.selfReportedFactor = selfReportedFactor
        self.feedbackStep = feedbackStep
        self.feedbackCap = feedbackCap
        self.text = text
        self.sector = sector
        self.region = region
        self.income = income
        self.outcome = outcome
        self.textHalfPoint = textHalfPoint
        self.minimumScore = minimumScore
    }

    /// The documented defaults.
    public static let `default` = MatchingWeights()

    private enum CodingKeys: String, CodingKey {
        case text, sector, region, income, outcome, textHalfPoint, minimumScore, selfReportedFactor, feedbackStep, feedbackCap
    }

    /// Decodes weights stored before the evidence and feedback fields existed with their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = MatchingWeights()
        text = try container.decode(Double.self, forKey: .text)
        sector = try container.decode(Double.self, forKey: .sector)
        region = try container.decode(Double.self, forKey: .region)
        income = try container.decode(Double.self, forKey: .income)
        outcome = try container.decode(Double.self, forKey: .outcome)
        textHalfPoint = try container.decode(Double.self, forKey: .textHalfPoint)
        minimumScore = try container.decode(Double.self, forKey: .minimumScore)
        selfReportedFactor = try container.decodeIfPresent(Double.self, forKey: .selfReportedFactor) ?? defaults.selfReportedFactor
        feedbackStep = try container.decodeIfPresent(Double.self, forKey: .feedbackStep) ?? defaults.feedbackStep
        feedbackCap = try container.decodeIfPresent(Double.self, forKey: .feedbackCap) ?? defaults.feedbackCap
    }

    /// The names `with(_:)` and the CLI's `--weights` understand.
    public static let names = [
        "text", "sector", "region", "income", "outcome", "text-half-point", "minimum-score", "self-reported-factor",
        "feedback-step", "feedback-cap",
    ]

    /// These weights with `name` set to `value`.
    /// - Throws: ``ExchangeError`` `.invalidArgument` for an unknown name or a negative value.
    public func with(_ name: String, _ value: Double) throws -> MatchingWeights {
        guard value.isFinite, value >= 0 else {
            throw ExchangeError(.invalidArgument, "weight \(name) must be a number ≥ 0, not \(value)")
        }
        var copy = self
        switch name {
        case "text": copy.text = value
        case "sector": copy.sector = value
        case "region": copy.region = value
        case "income": copy.income = value
        case "outcome": copy.outcome = value
        case "text-half-point":
            guard value > 0 else { throw ExchangeError(.invalidArgument, "text-half-point must be above 0") }
            copy.textHalfPoint = value
        case "minimum-score": copy.minimumScore = value
        case "self-reported-factor": copy.selfReportedFactor = min(value, 1)
        case "feedback-step": copy.feedbackStep = value
        case "feedback-cap": copy.feedbackCap = min(value, 1)
        default:
            throw ExchangeError(.invalidArgument, "unknown weight '\(name)'", hint: "use one of \(Self.names.joined(separator: ", "))")
        }
        return copy
    }

    /// Parses `text=0.5,outcome=0` over these weights.
    public func overridden(by assignments: String) throws -> MatchingWeights {
        var weights = self
        for assignment in assignments.split(separator: ",") {
            let parts = assignment.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = Double(parts[1]) else {
                throw ExchangeError(.invalidArgument, "'\(assignment)' is not NAME=NUMBER", hint: "for example --weights text=0.5,outcome=0")
            }
            weights = try weights.with(parts[0], value)
        }
        return weights
    }
}
