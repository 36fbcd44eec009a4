import Foundation

/// A short account of an experience for a match: programme and years, what was done, what
/// came of it, each cut at a sentence or word boundary.
enum MatchSummary {
    static let approachLength = 220
    static let outcomesLength = 220

    /// The summary in `language` when the catalogue has it; else the English one, marked
    /// "(in English)" for a request in another language.
    static func make(_ experience: Experience, in language: Language) -> (text: String, language: Language) {
        let head = "\(experience.programme) (\(experience.countryName), \(experience.years)): "
        if let summary = experience.summaries[language.rawValue] { return (head + summary, language) }
        let english = experience.summaries[Language.english.rawValue].map { head + $0 } ?? make(experience)
        return (language == .english ? english : "(in English) " + english, .english)
    }

    static func make(_ experience: Experience) -> String {
        "\(experience.programme) (\(experience.countryName), \(experience.years)): "
            + shorten(experience.approach, to: approachLength)
            + " Outcomes: " + shorten(experience.outcomes, to: outcomesLength)
    }

    /// The first sentences that fit in `limit` characters, else the words that fit, with "…".
    static func shorten(_ text: String, to limit: Int) -> String {
        let text = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard text.count > limit else { return text }
        let head = String(text.prefix(limit))
        if let end = head.range(of: ". ", options: .backwards), head.distance(from: head.startIndex, to: end.lowerBound) >= limit / 3 {
            return String(head[...end.lowerBound])
        }
        let cut = head.lastIndex(of: " ").map { String(head[..<$0]) } ?? head
        return cut.trimmingCharacters(in: .punctuationCharacters) + "…"
    }
}
