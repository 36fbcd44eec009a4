import Foundation

/// What an official asks for, as far as matching needs it.
public struct MatchRequest: Sendable, Codable, Equatable {
    /// The development goal and problem in the official's words; its words are matched
    /// against experiences' programmes, problems, approaches and outcomes.
    public var text: String
    /// The sectors of the request; may be empty.
    public var sectors: [Sector]
    /// The requesting country (ISO 3166-1 alpha-3); its own experiences are never proposed.
    public var countryCode: String
    public var region: Region
    public var incomeGroup: IncomeGroup
    /// The language of ``text``; `nil` to detect it (``LanguageDetector``).
    public var language: Language?

    public init(
        text: String, sectors: [Sector], countryCode: String, region: Region, incomeGroup: IncomeGroup, language: Language? = nil
    ) {
        self.language = language
        self.text = text
        self.sectors = sectors
        self.countryCode = countryCode
        self.region = region
        self.incomeGroup = incomeGroup
    }

    /// The stated language, else the detected one.
    public var effectiveLanguage: Language { language ?? LanguageDetector.detect(text).language }

    /// Checks what the database cannot: some words, a well-formed country code.
    public func validate() throws {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ExchangeError(.invalidArgument, "the request has no text to match", hint: "describe the development goal or problem in a few words")
        }
        guard text.count <= 10_000 else {
            throw ExchangeError(.invalidArgument, "the request text has \(text.count) characters, at most 10,000", hint: "shorten it to the goal and the problem")
        }
        guard countryCode.count == 3, countryCode.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw ExchangeError(.invalidArgument, "'\(countryCode)' is not an ISO 3166-1 alpha-3 code", hint: "use three upper-case letters, such as RWA")
        }
    }
}
