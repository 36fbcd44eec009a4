import Foundation
import MeridianExchange
import Testing

/// Four languages (issue 15, point 3): detection, stemming per language, the concept vocabulary.
@Suite("matching in four languages")
struct MultilingualMatchingTests {
    static let english = "Reintegrate former combatants into civilian life through employment and training"
    static let translations: [Language: String] = [
        .french: "Réintégrer d'anciens combattants dans la vie civile grâce à l'emploi et à la formation",
        .spanish: "Reintegrar a los excombatientes en la vida civil mediante el empleo y la capacitación",
        .portuguese: "Reintegrar os ex-combatentes na vida civil por meio do emprego e da formação profissional",
    ]

    static func request(_ text: String, language: Language? = nil) -> MatchRequest {
        MatchRequest(text: text, sectors: [.demobilisationReintegration], countryCode: "COD", region: .subSaharanAfrica,
                     incomeGroup: .low, language: language)
    }

    @Test("the language of a request is told from its stop words")
    func detectsLanguages() {
        #expect(LanguageDetector.detect(Self.english).language == .english)
        for (language, text) in Self.translations {
            #expect(LanguageDetector.detect(text).language == language, "\(text)")
        }
        #expect(LanguageDetector.detect("Transferencias monetarias condicionadas para los hogares pobres del campo").language == .spanish)
        #expect(LanguageDetector.detect("Transferência de renda para as famílias pobres do Nordeste").language == .portuguese)
        #expect(LanguageDetector.detect("water utility reform").language == .english, "no profile word: English")
    }

    @Test("the issue's French DDR request finds at least four of the five countries the English one finds")
    func frenchFindsWhatEnglishFinds() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            let matcher = Matcher(client: client, logger: logger)
            let english = try await matcher.match(Self.request(Self.english))
            #expect(english.matches.count == 5)
            #expect(english.language == .english)
            let wanted = Set(english.matches.map(\.countryCode))
            for (language, text) in Self.translations {
                let result = try await matcher.match(Self.request(text))
                #expect(result.language == language)
                let found = Set(result.matches.map(\.countryCode)).intersection(wanted)
                #expect(found.count >= 4, "\(language): \(result.matches.map(\.countryCode)) against \(wanted.sorted())")
                #expect(result.matches.contains { !($0.reasons.concepts ?? []).isEmpty }, "the concepts it recognised are in the reasons")
            }
        }
    }

    @Test("without the concept vocabulary the French request finds less: the vocabulary is what carries it")
    func vocabularyCarriesTranslation() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            var bare = Matcher(client: client, logger: logger)
            bare.vocabulary = ConceptVocabulary(concepts: [])
            let withVocabulary = try await Matcher(client: client, logger: logger).match(Self.request(Self.translations[.french]!))
            let without = try await bare.match(Self.request(Self.translations[.french]!))
            let textWith = withVocabulary.matches.map(\.parts.text).reduce(0, +)
            let textWithout = without.matches.map(\.parts.text).reduce(0, +)
            #expect(textWith > textWithout, "French words alone barely meet the English catalogue")
        }
    }

    @Test("summaries show in the request's language where the catalogue has them, marked as English otherwise")
    func summariesInTheRequestsLanguage() async throws {
        try await withKnowledgeBase { client, logger, _ in
            var withFrench = sample("SLE", "Community reintegration of ex-combatants", sectors: [.demobilisationReintegration],
                                    text: "reintegration of former combatants into civilian life through employment and training")
            withFrench.summaries = ["en": "Former fighters were helped back into work.", "fr": "Les anciens combattants ont été aidés à retrouver un emploi."]
            let englishOnly = sample("LBR", "Ex-combatant training", sectors: [.demobilisationReintegration],
                                     text: "training and employment for former combatants reintegrating into civilian life")
            _ = try await ExperienceImporter.store([withFrench, englishOnly], client: client, logger: logger)
            let result = try await Matcher(client: client, logger: logger).match(Self.request(Self.translations[.french]!))
            let sierraLeone = try #require(result.matches.first { $0.countryCode == "SLE" })
            #expect(sierraLeone.summaryLanguage == "fr")
            #expect(sierraLeone.summary.contains("Les anciens combattants"))
            let liberia = try #require(result.matches.first { $0.countryCode == "LBR" })
            #expect(liberia.summaryLanguage == "en")
            #expect(liberia.summary.hasPrefix("(in English) "))
            let inEnglish = try await Matcher(client: client, logger: logger).match(Self.request(Self.english))
            #expect(inEnglish.matches.first { $0.countryCode == "SLE" }?.summary.contains("Former fighters were helped") == true)
            #expect(inEnglish.matches.allSatisfy { !$0.summary.hasPrefix("(in English)") })
        }
    }

    @Test("a French summary is searched with the French stemmer")
    func frenchSummaryIsSearchable() async throws {
        try await withKnowledgeBase { client, logger, _ in
            var experience = sample("SEN", "Programme national de bourses de sécurité familiale", sectors: [.socialProtection],
                                    text: "an allowance for poor families")
            experience.summaries = ["fr": "Des bourses trimestrielles versées aux ménages vulnérables sous condition de scolarisation."]
            _ = try await ExperienceImporter.store([experience], client: client, logger: logger)
            // One experience: every word is in all of it, so rarity weighs little; no minimum score.
            var matcher = Matcher(client: client, logger: logger, weights: try MatchingWeights.default.overridden(by: "minimum-score=0"))
            matcher.vocabulary = ConceptVocabulary(concepts: [])
            let result = try await matcher.match(MatchRequest(
                text: "Des bourses trimestrielles pour les ménages", sectors: [], countryCode: "MLI", region: .subSaharanAfrica, incomeGroup: .low))
            #expect(result.matches.first?.countryCode == "SEN")
            #expect(result.matches.first?.reasons.matchedTerms.contains("trimestrielles") == true)
        }
    }

    @Test("an everyday word carries its everyday meaning: 'segura', 'registros' and 'datos' no longer bring in health insurance, targeting and statistics")
    func everydayWordsKeepTheirMeaning() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            let request = MatchRequest(
                text: "Cada uno de nuestros organismos guarda sus propios registros y los ciudadanos entregan los mismos datos una y otra vez; queremos que los sistemas consulten los datos de los demás de forma segura",
                sectors: [.digitalGovernment], countryCode: "FIN", region: .europeCentralAsia, incomeGroup: .high)
            let concepts = try #require(try await Matcher(client: client, logger: logger).match(request).matches.first?.reasons.concepts)
            #expect(!concepts.contains { $0.hasSuffix("→ health insurance") || $0.hasSuffix("→ targeting") || $0.hasSuffix("→ statistics") }, "\(concepts)")
            for english in ["records", "agencies", "citizens", "secure"] {
                #expect(concepts.contains { $0.hasSuffix("→ \(english)") }, "\(english) in \(concepts)")
            }
        }
    }

    @Test("the vocabulary reaches beyond sector names: a Portuguese request for mandatory savings names contributions, individual accounts and housing finance")
    func pensionSavingsVocabulary() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            let request = MatchRequest(
                text: "Queremos uma poupança obrigatória, com contribuições de empregadores e empregados em contas individuais, que os trabalhadores possam usar para comprar uma casa",
                sectors: [.pensionsSavings, .housing], countryCode: "CHN", region: .eastAsiaPacific, incomeGroup: .upperMiddle)
            let result = try await Matcher(client: client, logger: logger).match(request)
            let concepts = try #require(result.matches.first?.reasons.concepts)
            for english in ["contributions", "individual accounts", "housing finance"] {
                #expect(concepts.contains { $0.hasSuffix("→ \(english)") }, "\(english) in \(concepts)")
            }
            #expect(result.matches.contains { $0.countryCode == "SGP" }, "Singapore's provident fund: \(result.matches.map(\.programme))")
        }
    }

    @Test("the shipped concept vocabulary has a few hundred terms, every concept in all four languages")
    func vocabularyIsComplete() {
        let vocabulary = ConceptVocabulary.shipped
        #expect(vocabulary.concepts.count >= 130)
        let terms = vocabulary.concepts.flatMap { concept in Language.allCases.flatMap { concept.terms(in: $0) } }
        #expect(terms.count >= 2_000)
        for concept in vocabulary.concepts {
            for language in Language.allCases { #expect(!concept.terms(in: language).isEmpty, "\(concept.id) lacks \(language)") }
        }
        #expect(Set(vocabulary.concepts.map(\.id)).count == vocabulary.concepts.count, "concept ids are unique")
    }
}
