import Foundation

/// The pages' languages and their message catalogues (`Resources/messages/LANG.json`).
///
/// Every string a page shows comes from a catalogue, by key; a key missing from one catalogue
/// is a defect that ``WebCatalogueTests`` catch before a page would show it empty.
public enum WebLanguage: String, CaseIterable, Sendable {
    case en, fr, es, pt

    /// The locale dates and money are formatted in.
    var locale: Locale {
        switch self {
        case .en: Locale(identifier: "en_GB")
        case .fr: Locale(identifier: "fr_FR")
        case .es: Locale(identifier: "es_ES")
        case .pt: Locale(identifier: "pt_PT")
        }
    }

    /// The best language for an `Accept-Language` header (RFC 9110 weights; `en` when none fits).
    public static func negotiate(_ header: String?) -> WebLanguage {
        guard let header else { return .en }
        var best: (WebLanguage, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(), !tag.isEmpty else { continue }
            var weight = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)) ?? 0
            }
            let primary = String(tag.split(separator: "-").first ?? "")
            guard let language = WebLanguage(rawValue: primary), weight > 0 else { continue }
            if best == nil || weight > best!.1 { best = (language, weight) }
        }
        return best?.0 ?? .en
    }
}

/// The four catalogues, loaded once from the bundle.
public struct WebMessages: Sendable {
    public let catalogues: [WebLanguage: [String: String]]

    /// Loads every catalogue; throws if one is missing or not a JSON object of strings.
    public static func load() throws -> WebMessages {
        var catalogues: [WebLanguage: [String: String]] = [:]
        for language in WebLanguage.allCases {
            guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "messages") else {
                throw WebError.resourceMissing("messages/\(language.rawValue).json")
            }
            catalogues[language] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        return WebMessages(catalogues: catalogues)
    }

    /// The catalogue of `language`.
    public func table(_ language: WebLanguage) -> [String: String] { catalogues[language] ?? [:] }

    /// One message; the key itself (visible, so a test catches it) when it is missing.
    public func text(_ key: String, _ language: WebLanguage) -> String {
        catalogues[language]?[key] ?? "⟦\(key)⟧"
    }
}

/// A defect in the web module's own resources (never the user's fault).
enum WebError: Error, CustomStringConvertible {
    case resourceMissing(String)
    case template(String)

    var description: String {
        switch self {
        case .resourceMissing(let name): "the web pages' resource \(name) is missing from the build"
        case .template(let name): "the web page template \(name) failed to render"
        }
    }
}
