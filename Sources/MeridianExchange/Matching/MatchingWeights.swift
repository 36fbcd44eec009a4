import Foundation

/// How much each part of a match counts. A match's score is the sum over the parts of
/// `weight × component`, each component between 0 and 1; with the defaults (which sum to 1)
/// a score is between 0 and 1.
///
/// | part | component | default |
/// |---|---|---|
/// | text | `r / (r + textHalfPoint)`, r = `ts_rank_cd` of the request's words, textHalfPoint 4 | 0.40 |
/// | sector | shared sectors ÷ the request's sectors | 0.25 |
/// | region | 1 same region, 0.5 neighbouring region, 0 otherwise | 0.10 |
/// | income | 1 − (steps between income groups) ÷ 3 | 0.10 |
/// | outcome | outcome strength ÷ 3 | 0.15 |
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

    public init(
        text: Double = 0.40, sector: Double = 0.25, region: Double = 0.10, income: Double = 0.10,
        outcome: Double = 0.15, textHalfPoint: Double = 4.0, minimumScore: Double = 0.35
    ) {
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

    /// The names `with(_:)` and the CLI's `--weights` understand.
    public static let names = ["text", "sector", "region", "income", "outcome", "text-half-point", "minimum-score"]

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
