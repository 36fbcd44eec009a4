/// One proposed partner: the best-scoring experience of a country other than the requester,
/// with the parts of its score and the reasons it matched.
public struct Match: Sendable, Codable, Equatable {
    /// Each part is `weight × component`; ``total`` is their sum.
    public struct ScoreParts: Sendable, Codable, Equatable {
        public var text: Double
        public var sector: Double
        public var region: Double
        public var income: Double
        public var outcome: Double

        public var total: Double { text + sector + region + income + outcome }
    }

    /// Why it matched, in words a program manager can check.
    public struct Reasons: Sendable, Codable, Equatable {
        /// Words of the request found in the experience.
        public var matchedTerms: [String]
        /// Sectors the request and the experience share.
        public var sharedSectors: [Sector]
        public var region: String
        public var income: String
        public var outcome: String
    }

    public var experienceId: Int
    public var countryCode: String
    public var countryName: String
    public var programme: String
    public var years: String
    public var score: Double
    public var parts: ScoreParts
    /// Programme, years, what was done, what came of it: from the stored fields, shortened.
    public var summary: String
    public var reasons: Reasons
    /// Where the facts come from.
    public var sources: [String]
}
