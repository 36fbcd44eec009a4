/// A World Bank region, the grouping the matcher uses for proximity.
///
/// Raw values are the codes stored in `experiences.region` (a CHECK constraint holds the
/// same list).
public enum Region: String, CaseIterable, Codable, Sendable {
    case eastAsiaPacific = "east-asia-pacific"
    case europeCentralAsia = "europe-central-asia"
    case latinAmericaCaribbean = "latin-america-caribbean"
    case middleEastNorthAfrica = "middle-east-north-africa"
    case northAmerica = "north-america"
    case southAsia = "south-asia"
    case subSaharanAfrica = "sub-saharan-africa"

    /// Regions that share a land or sea border, so that experiences travel between them more
    /// easily than between distant ones; the matcher gives them half the same-region credit.
    static let neighbours: Set<Set<Region>> = [
        [.latinAmericaCaribbean, .northAmerica],
        [.europeCentralAsia, .middleEastNorthAfrica],
        [.middleEastNorthAfrica, .subSaharanAfrica],
        [.middleEastNorthAfrica, .southAsia],
        [.southAsia, .eastAsiaPacific],
        [.southAsia, .europeCentralAsia],
        [.europeCentralAsia, .eastAsiaPacific],
    ]

    /// Whether `other` borders this region (not the same region).
    public func isNeighbour(of other: Region) -> Bool {
        Self.neighbours.contains([self, other])
    }

    /// The valid codes, for error messages.
    public static var codes: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
