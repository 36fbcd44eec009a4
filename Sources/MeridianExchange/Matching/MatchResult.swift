import Foundation

/// The answer to a match request: up to five partners, best first, and whether that is enough.
public struct MatchResult: Sendable, Codable {
    /// Whether the result can go to the official, or needs the program manager.
    public enum Status: String, Sendable, Codable {
        /// Five matches at or above the minimum score.
        case enough
        /// Some, but fewer than five, reach the minimum score.
        case fewerThanFive = "fewer-than-five"
        /// None does: the request goes back to the program manager.
        case none
    }

    public var status: Status
    /// For people: what the status means here.
    public var note: String
    public var matches: [Match]
    /// How many experiences were ranked before the one-per-country and minimum-score cuts.
    public var candidatesRanked: Int
    public var weights: MatchingWeights
    /// The request's language, stated or detected; `nil` in results stored before it existed.
    public var language: Language?

    /// The number of partners a match proposes.
    public static let wanted = 5

    init(matches: [Match], candidatesRanked: Int, weights: MatchingWeights, language: Language? = nil, reasonIfNone: String? = nil) {
        self.language = language
        self.matches = matches
        self.candidatesRanked = candidatesRanked
        self.weights = weights
        let minimum = String(format: "%.2f", weights.minimumScore)
        switch matches.count {
        case Self.wanted...:
            status = .enough
            note = "\(matches.count) countries match with a score of at least \(minimum)"
        case 0:
            status = .none
            note = reasonIfNone ?? "no experience of another country scores at least \(minimum); route the request back to the program manager"
        default:
            status = .fewerThanFive
            note = "only \(matches.count) \(matches.count == 1 ? "country matches" : "countries match") with a score of at least \(minimum); the program manager may widen the request or look further"
        }
    }
}
