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
        /// Concepts of the vocabulary the request named, as `term → English term`; their
        /// English terms were searched too. `nil` in matches stored before it existed.
        public var concepts: [String]?
        /// Officials' feedback on the experience and what it added to the outcome component.
        public var feedback: String?
    }

    public var experienceID: Int
    public var countryCode: String
    public var countryName: String
    public var programme: String
    public var years: String
    public var score: Double
    public var parts: ScoreParts
    /// Programme, years, what was done, what came of it: the catalogue's summary in the
    /// request's language when it has one, else in English (marked so).
    public var summary: String
    /// The language code of ``summary`` (`en`, `fr`, `es`, `pt`); `nil` in older matches.
    public var summaryLanguage: String?
    public var reasons: Reasons
    /// Where the facts come from.
    public var sources: [String]
}
