import Foundation

/// How much each part of a match counts. The defaults were set on the tuning half of the
/// evaluation set of real exchanges (`meridian bench match --eval`, docs/knowledge-base.md):
/// real partners are often in another region and income group, so proximity weighs 0.05 each;
/// what the request is about (text and sectors) weighs most; the evidence orders experiences
/// about the same problem but does not put a well-evaluated programme about something else
/// ahead of one that answers the request, so it weighs 0.05.
/// A match's score is the sum over the parts of
/// `weight × component`, each component between 0 and 1; with the defaults (which sum to 1)
/// a score is between 0 and 1.
///
/// | part | component | default |
/// |---|---|---|
/// | text | `r / max(best, textReference)`, r = the request's words' weights in the experience, each times its rarity (``TermWeight``); best = the highest r among the request's candidates; textReference 20 | 0.60 |
/// | sector | shared sectors ÷ the request's sectors | 0.25 |
/// | region | 1 same region, 0.5 neighbouring region, 0 otherwise | 0.05 |
/// | income | 1 − (steps between income groups) ÷ 3 | 0.05 |
/// | outcome | evidence + feedback, between 0 and 1 (below) | 0.05 |
///
/// The text component is relative to the request's best candidate: the scale of r depends on
/// how many words a request has and how many reach the English catalogue, so an English
/// request's best candidates rank at 20–55 and the same request's in Portuguese, carried by
/// its concepts, at 10–25. Measured against a fixed half point, the translation's
/// text counted less against sector, region and evidence than the original's; relative to the
/// best candidate it counts the same in every language. `textReference` keeps a weak request
/// weak: when even the best candidate's r is below it, every candidate's component is r
/// divided by the reference, less than 1, so a request that meets only a common word does not
/// pass the minimum score on its text.
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
    /// The text rank at and above which the request's best candidate gets the whole text
    /// component (the others in proportion to their rank); below it, the text component is
    /// the rank over this reference.
    public var textReference: Double
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
        text: Double = 0.60, sector: Double = 0.25, region: Double = 0.05, income: Double = 0.05,
        outcome: Double = 0.05, textReference: Double = 20.0, minimumScore: Double = 0.35,
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
        self.textReference = textReference
        self.minimumScore = minimumScore
    }

    /// The documented defaults.
    public static let `default` = MatchingWeights()

    private enum CodingKeys: String, CodingKey {
        case text, sector, region, income, outcome, textReference, minimumScore, selfReportedFactor, feedbackStep, feedbackCap
    }

    /// Decodes weights stored before the evidence and feedback fields existed with their
    /// defaults; weights stored with the former `textHalfPoint` (a fixed saturation of the text
    /// rank, replaced by ``textReference``) read with the default reference.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = MatchingWeights()
        text = try container.decode(Double.self, forKey: .text)
        sector = try container.decode(Double.self, forKey: .sector)
        region = try container.decode(Double.self, forKey: .region)
        income = try container.decode(Double.self, forKey: .income)
        outcome = try container.decode(Double.self, forKey: .outcome)
        textReference = try container.decodeIfPresent(Double.self, forKey: .textReference) ?? defaults.textReference
        minimumScore = try container.decode(Double.self, forKey: .minimumScore)
        selfReportedFactor = try container.decodeIfPresent(Double.self, forKey: .selfReportedFactor) ?? defaults.selfReportedFactor
        feedbackStep = try container.decodeIfPresent(Double.self, forKey: .feedbackStep) ?? defaults.feedbackStep
        feedbackCap = try container.decodeIfPresent(Double.self, forKey: .feedbackCap) ?? defaults.feedbackCap
    }

    /// The names `with(_:)` and the CLI's `--weights` understand.
    public static let names = [
        "text", "sector", "region", "income", "outcome", "text-reference", "minimum-score", "self-reported-factor",
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
        case "text-reference":
            guard value > 0 else { throw ExchangeError(.invalidArgument, "text-reference must be above 0") }
            copy.textReference = value
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
