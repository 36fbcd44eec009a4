/// A World Bank income group; the four are ordered, and the matcher uses the distance
/// between them (a lower-middle income country learns most from its peers and neighbours).
public enum IncomeGroup: String, CaseIterable, Codable, Sendable, Comparable {
    case low
    case lowerMiddle = "lower-middle"
    case upperMiddle = "upper-middle"
    case high

    /// 0 (low) … 3 (high).
    public var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// Steps between two groups, 0…3.
    public func distance(to other: IncomeGroup) -> Int { abs(rank - other.rank) }

    public static func < (lhs: IncomeGroup, rhs: IncomeGroup) -> Bool { lhs.rank < rhs.rank }

    /// The valid codes, for error messages.
    public static var codes: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
