import Foundation

/// The curated vocabulary of development concepts with their terms in English, French,
/// Spanish and Portuguese (`Resources/concepts.json`): what lets a request in one language
/// find experiences written in another.
///
/// The matcher recognises a concept when one of its terms in the request's language, stemmed
/// with that language's PostgreSQL Snowball configuration, occurs as a phrase in the request
/// (stemmed the same way), and adds the concept's English terms to the request's search terms.
public struct ConceptVocabulary: Sendable {
    /// One concept: an id and its terms by language.
    public struct Concept: Sendable, Codable, Equatable {
        public var id: String
        public var terms: [String: [String]]

        /// The concept's terms in `language`, none when it has none.
        public func terms(in language: Language) -> [String] { terms[language.rawValue] ?? [] }
    }

    public var concepts: [Concept]

    public init(concepts: [Concept]) { self.concepts = concepts }

    private struct File: Decodable {
        var concepts: [Concept]
    }

    /// The vocabulary that ships, parsed once per process (it is constant data).
    public static let shipped: ConceptVocabulary = {
        guard let url = Bundle.module.url(forResource: "concepts", withExtension: "json"),
              let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else {
            // A defect of the build, caught by the tests; matching still works without it.
            return ConceptVocabulary(concepts: [])
        }
        return ConceptVocabulary(concepts: file.concepts)
    }()

    /// Every term of `language` with the index of its concept, in the order the concepts come.
    func terms(in language: Language) -> (terms: [String], concepts: [Int]) {
        var terms: [String] = []
        var indices: [Int] = []
        for (index, concept) in concepts.enumerated() {
            for term in concept.terms(in: language) {
                terms.append(term)
                indices.append(index)
            }
        }
        return (terms, indices)
    }
}
