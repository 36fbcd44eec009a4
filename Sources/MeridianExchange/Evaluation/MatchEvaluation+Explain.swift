import Foundation

extension MatchEvaluation {
    /// Why a case missed: where the right country ranked among all countries with no
    /// minimum score, and the matches ranked above it with their score parts and reasons.
    public struct Explanation: Sendable, Codable {
        public var id: String
        public var language: String
        public var expected: [String]
        /// 1-based rank of the best expected country among every country scored; `nil` when
        /// no experience of it holds a word of the request.
        public var rank: Int?
        /// The concepts recognised in the request (`term → English term`).
        public var concepts: [String]
        /// The countries ranked above the expected one (at most ``shownAbove``), then the
        /// expected one: `rank COUNTRY score (text … sector … region … income … outcome …) programme [terms]`.
        public var lines: [String]
    }

    /// The most countries an explanation ranks; a right country below is "not ranked".
    public static let explainedDepth = 60
    /// How many of the matches above the right country an explanation shows.
    static let shownAbove = 5

    /// Explains `item`'s ranking with `matcher`'s weights and method, the minimum score set
    /// to zero so that every country holding a request word is ranked.
    /// - Throws: ``ExchangeError`` `.invalidData` for a requesting country the table cannot
    ///   place; database errors as they come.
    public static func explain(_ item: Case, matcher: Matcher, countries: CountryTable) async throws -> Explanation {
        var deep = matcher
        deep.proposals = explainedDepth
        deep.weights.minimumScore = 0
        let result = try await deep.match(request(for: item, countries: countries))
        let rank = result.matches.firstIndex { item.expected.contains($0.countryCode) }
        var shown = Array(result.matches.prefix(min(rank ?? shownAbove, shownAbove)).enumerated())
        if let rank { shown.append((rank, result.matches[rank])) }
        let lines = shown.map { index, match in
            let parts = match.parts
            let figures = [("text", parts.text), ("sector", parts.sector), ("region", parts.region), ("income", parts.income), ("outcome", parts.outcome)]
                .map { "\($0) \(String(format: "%.3f", $1))" }.joined(separator: " ")
            return "\(index + 1) \(match.countryCode) \(String(format: "%.3f", match.score)) (\(figures)) \(match.programme) "
                + "[\(match.reasons.matchedTerms.joined(separator: " "))]"
        }
        return Explanation(
            id: item.id, language: item.language.rawValue, expected: item.expected, rank: rank.map { $0 + 1 },
            concepts: result.matches.first?.reasons.concepts ?? [], lines: lines
        )
    }
}
