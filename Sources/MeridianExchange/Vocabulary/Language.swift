/// A language Meridian matches and summarises in; the raw value is its ISO 639-1 code.
public enum Language: String, CaseIterable, Codable, Sendable {
    case english = "en"
    case french = "fr"
    case spanish = "es"
    case portuguese = "pt"

    /// The PostgreSQL text-search configuration (Snowball stemmer and stop words) of the language.
    public var searchConfiguration: String {
        switch self {
        case .english: "english"
        case .french: "french"
        case .spanish: "spanish"
        case .portuguese: "portuguese"
        }
    }

    /// The language's name in English, for people.
    public var name: String {
        switch self {
        case .english: "English"
        case .french: "French"
        case .spanish: "Spanish"
        case .portuguese: "Portuguese"
        }
    }

    /// The valid codes, for error messages.
    public static var codes: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
