import Foundation

/// Adds the other spelling of British/American pairs to a request's text, because the
/// `english` stemmer keeps them apart ("demobilisation" → `demobilis`, "demobilization" →
/// `demobil`) and the catalogue mixes both.
enum SpellingVariants {
    private static let suffixes = ["e", "ed", "es", "ing", "ation", "ations", "er", "ers"]

    /// `text` followed by the other spelling of each word that has one.
    static func expand(_ text: String) -> String {
        var variants: [String] = []
        let words = text.split { !$0.isLetter }.map { $0.lowercased() }
        for word in words {
            if let variant = variant(of: word), !words.contains(variant), !variants.contains(variant) {
                variants.append(variant)
            }
        }
        return variants.isEmpty ? text : text + "\n" + variants.joined(separator: " ")
    }

    static func variant(of word: String) -> String? {
        for suffix in suffixes {
            for (from, to) in [("is", "iz"), ("iz", "is")] where word.hasSuffix(from + suffix) && word.count >= from.count + suffix.count + 3 {
                return String(word.dropLast(from.count + suffix.count)) + to + suffix
            }
        }
        if word.count >= 6, word.hasSuffix("our") { return String(word.dropLast(3)) + "or" }
        if word.count >= 6, word.hasSuffix("ours") { return String(word.dropLast(4)) + "ors" }
        if word == "programme" || word == "programmes" { return word.replacingOccurrences(of: "programme", with: "program") }
        if word == "program" || word == "programs" { return word.replacingOccurrences(of: "program", with: "programme") }
        return nil
    }
}
