/// How strong the evidence of an experience's outcomes is: an ordinal the matcher rewards,
/// because a partner that can show what worked is worth more to a visiting official.
public enum OutcomeStrength: Int, CaseIterable, Codable, Sendable, Comparable {
    /// No outcomes reported.
    case none = 0
    /// Outcomes reported by the programme itself (monitoring data, descriptive reviews).
    case reported = 1
    /// Measured by an independent quasi-experimental or observational study
    /// (matching, difference-in-differences, surveys of participants and non-participants).
    case measured = 2
    /// A rigorous evaluation (randomised, or regression discontinuity) with measured effects.
    case rigorous = 3

    public static func < (lhs: OutcomeStrength, rhs: OutcomeStrength) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Words for people.
    public var label: String {
        switch self {
        case .none: "no outcomes reported"
        case .reported: "outcomes reported by the programme"
        case .measured: "outcomes measured by an independent study"
        case .rigorous: "rigorous evaluation with measured effects"
        }
    }
}
