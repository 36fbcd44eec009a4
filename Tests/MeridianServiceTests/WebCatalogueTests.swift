import Foundation
import MeridianWeb
import Testing

/// The message catalogues: the four languages have the same keys, no empty message, and every
/// key a template uses exists (a missing one would show as an empty string).
@Suite struct WebCatalogueTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/MeridianWeb/Resources/templates").standardized

    @Test func everyLanguageHasEveryKey() throws {
        let messages = try WebMessages.load()
        let english = Set(messages.table(.en).keys)
        #expect(english.count > 100)
        for language in WebLanguage.allCases {
            let keys = Set(messages.table(language).keys)
            #expect(english.subtracting(keys).sorted() == [], "missing in \(language)")
            #expect(keys.subtracting(english).sorted() == [], "only in \(language)")
            #expect(messages.table(language).filter { $0.value.trimmingCharacters(in: .whitespaces).isEmpty }.keys.sorted() == [])
        }
    }

    /// A French, Spanish or Portuguese message equal to the English one is an untranslated
    /// string, unless it is one of these words the languages share (the page tests cannot tell
    /// the two apart, so this list is where each is decided once).
    static let sameAsEnglish: [WebLanguage: Set<String>] = [
        .fr: ["brand", "system", "instruments", "match_score", "match_sources", "sector_agriculture", "sector_nutrition", "step_plan",
              "kb_sources"],
        .es: ["brand", "system", "step_plan", "kb_sector_label"],
        .pt: ["brand", "system"],
    ]

    @Test func noMessageIsLeftInEnglish() throws {
        let messages = try WebMessages.load()
        let english = messages.table(.en)
        for language in [WebLanguage.fr, .es, .pt] {
            let same = messages.table(language).filter { !$0.key.hasPrefix("lang_") && english[$0.key] == $0.value }.keys
            #expect(Set(same) == Self.sameAsEnglish[language], "\(language)")
        }
    }

    @Test func everyKeyTheTemplatesUseExists() throws {
        let messages = try WebMessages.load()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.templates.path).filter { $0.hasSuffix(".mustache") }
        #expect(files.count >= 6)
        let pattern = try NSRegularExpression(pattern: #"\{\{[#^/]?t\.([A-Za-z0-9_]+)\}\}"#)
        var used: Set<String> = []
        for file in files {
            let text = try String(contentsOf: Self.templates.appendingPathComponent(file), encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                used.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        #expect(used.count > 40)
        for language in WebLanguage.allCases {
            #expect(used.subtracting(messages.table(language).keys).sorted() == [], "\(language)")
        }
    }

    @Test func acceptLanguageChoosesTheBestKnownLanguage() {
        #expect(WebLanguage.negotiate(nil) == .en)
        #expect(WebLanguage.negotiate("fr-FR,fr;q=0.9,en;q=0.8") == .fr)
        #expect(WebLanguage.negotiate("de-DE, pt-BR;q=0.7, es;q=0.5") == .pt)
        #expect(WebLanguage.negotiate("es;q=0.2, pt;q=0.9") == .pt)
        #expect(WebLanguage.negotiate("de, ja") == .en)
        #expect(WebLanguage.negotiate("fr;q=0") == .en)
    }
}
