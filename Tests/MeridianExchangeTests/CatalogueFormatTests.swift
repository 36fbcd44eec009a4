import Foundation
import MeridianDomainTestSupport
import MeridianExchange
import MeridianTestSupport
import Testing

/// The catalogue format (issue 15, point 1): provenance, summaries, the JSON Schema, the
/// corrected facts.
@Suite("the catalogue format")
struct CatalogueFormatTests {
    /// The repository's root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let entry = """
        {"country_code": "SEN", "country_name": "Senegal", "region": "sub-saharan-africa", "income_group": "lower-middle",
         "sectors": ["social-protection"], "programme": "Programme national de bourses de sécurité familiale", "start_year": 2013,
         "end_year": null, "problem": "Poor families", "approach": "Quarterly allowances", "outcomes": "Reported coverage",
         "outcome_strength": 1, "sources": ["https://example.org"]%@}
        """

    @Test("provenance and a summary in four languages are imported, stored and read back")
    func importsProvenanceAndSummary() async throws {
        let path = try temporaryFile("kb.json", "[" + Self.entry.replacingOccurrences(of: "%@", with: """
            , "provenance": "Confirmed: start year — https://example.org", "summary": {"en": "Allowances to poor families.",
             "fr": "Des allocations aux familles pauvres.", "es": "Asignaciones a familias pobres.", "pt": "Subsídios a famílias pobres."}
            """) + "]")
        try await withKnowledgeBase { client, logger, _ in
            _ = try await ExperienceImporter.importFile(at: path, client: client, logger: logger)
            let stored = try #require(try await ExperienceStore(client: client, logger: logger).list(countryCode: "SEN").first)
            #expect(stored.provenance == "Confirmed: start year — https://example.org")
            #expect(stored.summaries == ["en": "Allowances to poor families.", "fr": "Des allocations aux familles pauvres.",
                                         "es": "Asignaciones a familias pobres.", "pt": "Subsídios a famílias pobres."])
            #expect(stored.selfReported == false)
        }
    }

    @Test("a user's import may leave provenance out; the shipped catalogue's rules may not")
    func provenanceRequiredOnlyForTheCatalogue() {
        let data = Data(("[" + Self.entry.replacingOccurrences(of: "%@", with: "") + "]").utf8)
        let user = ExperienceImporter.parse(data, fileName: "mine.json", format: .json)
        #expect(user.diagnostics.isEmpty && user.experiences.count == 1 && user.experiences[0].provenance == nil)
        let catalogue = ExperienceImporter.parse(data, fileName: "seed.json", format: .json, rules: .catalogue)
        #expect(catalogue.experiences.isEmpty)
        #expect(catalogue.diagnostics.map(\.description) == [
            "seed.json:1: provenance: required in the shipped catalogue: one line saying what was checked against which source, and what is not confirmed",
        ])
    }

    @Test("a bad summary is reported with its line, and nothing is imported")
    func badSummary() {
        let data = Data(("[" + Self.entry.replacingOccurrences(of: "%@", with: ", \"summary\": {\"de\": \"Zulagen\", \"fr\": 3}") + "]").utf8)
        let parsed = ExperienceImporter.parse(data, fileName: "kb.json", format: .json)
        #expect(parsed.experiences.isEmpty)
        #expect(parsed.diagnostics.map(\.description).sorted() == [
            "kb.json:1: summary: the fr summary must be text",
            "kb.json:1: summary: unknown language 'de'; the languages are en, fr, es, pt",
        ])
    }

    @Test("CSV takes the summary as one column per language")
    func csvSummaryColumns() {
        let csv = """
            \(csvHeader),provenance,summary_fr
            PER,Peru,latin-america-caribbean,upper-middle,social-protection,Juntos,2005,,Poor rural households,Transfers,Use of health services,2,Perova and Vakis (2009),Not checked,Des transferts aux ménages ruraux pauvres.
            """
        let parsed = ExperienceImporter.parse(Data(csv.utf8), fileName: "kb.csv", format: .csv)
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        #expect(parsed.experiences.first?.summaries == ["fr": "Des transferts aux ménages ruraux pauvres."])
        #expect(parsed.experiences.first?.provenance == "Not checked")
    }

    @Test("the shipped catalogue validates against the committed JSON Schema, and the schema refuses a bad entry")
    func shippedCatalogueMatchesSchema() throws {
        let schema = Self.root.appendingPathComponent("Schemas/experience-catalogue.schema.json").path
        let catalogue = Self.root.appendingPathComponent("Sources/MeridianExchange/Resources/seed-experiences.json").path
        let check = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
            for error in errors[:5]: print(list(error.absolute_path), error.message)
            sys.exit(1 if errors else 0)
            """
        #expect(try Self.python(check, schema, catalogue) == 0)
        let bad = try temporaryFile("bad.json", "[" + Self.entry.replacingOccurrences(of: "%@", with: "") + "]")
        #expect(try Self.python(check, schema, bad) == 1, "an entry without provenance is refused")
        // And the Swift importer, with the catalogue's rules, takes the shipped file whole.
        #expect(try SeedCatalogue.experiences().allSatisfy { $0.provenance != nil })
    }

    /// Issue 15 §3: an official reading in French, Spanish or Portuguese sees the summary in
    /// their language, not English marked as English, for every shipped programme.
    @Test("every shipped programme has a summary in en, fr, es and pt, each non-empty and at most 600 characters")
    func shippedSummariesInEveryLanguage() throws {
        let experiences = try SeedCatalogue.experiences()
        #expect(!experiences.isEmpty)
        let missing = experiences.flatMap { experience in
            Language.allCases.filter { language in
                let summary = experience.summaries[language.rawValue] ?? ""
                return summary.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || summary.count > 600
            }.map { "\(experience.countryCode) \(experience.programme) (\($0.rawValue))" }
        }
        #expect(missing.isEmpty, "summaries missing, empty or longer than 600 characters: \(missing)")
    }

    @Test("the facts the issue named are corrected, each with a provenance line")
    func correctedFacts() throws {
        let experiences = try SeedCatalogue.experiences()
        let mozambique = try #require(experiences.first { $0.countryCode == "MOZ" })
        #expect(mozambique.startYear == 1994)
        #expect(mozambique.provenance?.contains("1992 → 1994") == true)
        let nicaragua = try #require(experiences.first { $0.countryCode == "NIC" && $0.programme == "Red de Protección Social" })
        #expect(nicaragua.startYear == 2000 && nicaragua.endYear == 2006)
        #expect(nicaragua.provenance?.contains("https://dds.cepal.org/bpsnc/programme?id=23") == true)
        let chile = try #require(experiences.first { $0.programme.hasPrefix("Chile Solidario") })
        #expect(chile.endYear == 2017)
    }

    static func python(_ script: String, _ arguments: String...) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
