import Foundation

/// Tells which of English, French, Spanish and Portuguese a request is written in, from its
/// stop words.
///
/// The method: each language has a profile of about forty of its most frequent function words
/// (articles, prepositions, conjunctions, pronouns), chosen so that few are shared; a word
/// shared by two profiles counts half for each. A text's score in a language is the count of
/// its words in that profile, plus one for each letter only that language uses (ç in French
/// and Portuguese, ñ in Spanish, ã/õ in Portuguese, è/ê/à/ù/œ in French). The highest score
/// wins; a text with no profile word and no such letter is taken as English, the catalogue's
/// language. Requests are a sentence or more of prose, where this is reliable; a bare list of
/// keywords may be misread, which is why a caller can also state the language.
public enum LanguageDetector {
    /// The detected language and the score margin over the runner-up (0 when undecided).
    public struct Detection: Sendable, Equatable {
        public var language: Language
        public var margin: Double
    }

    static let profiles: [Language: Set<String>] = [
        .english: [
            "the", "of", "and", "to", "in", "is", "for", "with", "that", "on", "by", "from", "are", "as", "an",
            "be", "this", "its", "their", "which", "or", "how", "our", "we", "into", "has", "have", "was",
            "were", "not", "it", "who", "they", "at", "more", "but", "through", "while", "between", "without",
        ],
        .french: [
            "le", "la", "les", "des", "du", "et", "un", "une", "est", "dans", "pour", "au", "aux", "sur",
            "par", "avec", "qui", "que", "ne", "pas", "leur", "leurs", "nous", "notre", "nos", "ces", "ce",
            "cette", "sont", "être", "d", "l", "qu", "afin", "grâce", "entre", "sans", "mieux", "plus", "où",
        ],
        .spanish: [
            "el", "los", "las", "del", "y", "en", "un", "una", "es", "para", "por", "con", "que", "al",
            "su", "sus", "se", "lo", "como", "más", "nuestro", "nuestra", "nuestros", "este", "esta",
            "estos", "son", "ser", "sin", "entre", "mediante", "también", "muy", "donde", "cómo", "pero",
            "hay", "ha", "han", "desde",
        ],
        .portuguese: [
            "o", "os", "as", "do", "da", "dos", "das", "e", "em", "no", "na", "nos", "nas", "um", "uma",
            "é", "para", "por", "com", "que", "ao", "aos", "seu", "sua", "seus", "suas", "se", "como",
            "mais", "nosso", "nossa", "este", "esta", "são", "ser", "sem", "entre", "pelo", "pela", "não",
        ],
    ]

    /// Letters that point to one or two of the languages.
    static let letters: [Character: [Language]] = [
        "ç": [.french, .portuguese], "ñ": [.spanish], "ã": [.portuguese], "õ": [.portuguese],
        "è": [.french], "ê": [.french, .portuguese], "à": [.french, .portuguese], "ù": [.french], "œ": [.french],
        "â": [.french, .portuguese], "î": [.french], "û": [.french], "¿": [.spanish], "¡": [.spanish],
    ]

    /// How often each profile word appears across the profiles (shared words count less).
    private static let sharing: [String: Int] = {
        var counts: [String: Int] = [:]
        for words in profiles.values { for word in words { counts[word, default: 0] += 1 } }
        return counts
    }()

    /// The language `text` is most likely written in.
    public static func detect(_ text: String) -> Detection {
        var scores: [Language: Double] = [:]
        let lowered = text.lowercased()
        // Elisions (l'emploi, d'anciens, qu'il) split into their article and the word.
        let words = lowered.split { !$0.isLetter }
        for word in words {
            let word = String(word)
            guard let shared = sharing[word] else { continue }
            for (language, profile) in profiles where profile.contains(word) {
                scores[language, default: 0] += 1 / Double(shared)
            }
        }
        for character in lowered {
            for language in letters[character] ?? [] { scores[language, default: 0] += 1 }
        }
        let ranked = Language.allCases.map { ($0, scores[$0] ?? 0) }.sorted { $0.1 > $1.1 }
        guard let best = ranked.first, best.1 > 0 else { return Detection(language: .english, margin: 0) }
        return Detection(language: best.0, margin: best.1 - ranked[1].1)
    }
}
