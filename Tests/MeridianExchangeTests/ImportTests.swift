import Foundation
import MeridianDomainTestSupport
import MeridianExchange
import MeridianTestSupport
import Testing

@Suite("kb import")
struct ImportTests {
    @Test("a CSV file with quoted fields, lists and an empty end year is imported")
    func importsCSV() async throws {
        let path = try temporaryFile("experiences.csv", """
            \(csvHeader)
            RWA,Rwanda,sub-saharan-africa,low,demobilisation-reintegration|peacebuilding,RDRC,1997,,"Soldiers, many of them young, to demobilise","Reinsertion ""kits"" and
            reintegration grants",Reported by the programme,1,https://www.demobrwanda.gov.rw|MDRP final report
            PER,Peru,latin-america-caribbean,upper-middle,social-protection,Juntos,2005,2020,Poor rural households,Conditional transfers,Higher use of health services,2,Perova and Vakis (2009)

            """)
        try await withKnowledgeBase { client, logger, _ in
            let written = try await ExperienceImporter.importFile(at: path, client: client, logger: logger)
            #expect(written == ExperienceStore.WriteCount(inserted: 2, updated: 0))
            let rwanda = try #require(try await ExperienceStore(client: client, logger: logger).list(countryCode: "RWA").first)
            #expect(rwanda.sectors == [.demobilisationReintegration, .peacebuilding])
            #expect(rwanda.endYear == nil)
            #expect(rwanda.problem == "Soldiers, many of them young, to demobilise")
            #expect(rwanda.approach == "Reinsertion \"kits\" and\nreintegration grants")
            #expect(rwanda.sources == ["https://www.demobrwanda.gov.rw", "MDRP final report"])
            let peru = try #require(try await ExperienceStore(client: client, logger: logger).list(countryCode: "PER").first)
            #expect(peru.endYear == 2020 && peru.outcomeStrength == .measured && peru.incomeGroup == .upperMiddle)
        }
    }

    @Test("a JSON array is imported, and importing it again updates instead of duplicating")
    func importsJSONIdempotently() async throws {
        let original = try temporaryFile("kb.json", """
            [
              {"country_code": "KEN", "country_name": "Kenya", "region": "sub-saharan-africa", "income_group": "lower-middle",
               "sectors": ["social-protection"], "programme": "CT-OVC", "start_year": 2004, "end_year": null,
               "problem": "Orphans", "approach": "Unconditional transfers", "outcomes": "More secondary enrolment",
               "outcome_strength": 3, "sources": ["Kenya CT-OVC Evaluation Team (2012)"]}
            ]
            """)
        try await withKnowledgeBase { client, logger, _ in
            #expect(try await ExperienceImporter.importFile(at: original, client: client, logger: logger) == ExperienceStore.WriteCount(inserted: 1, updated: 0))
            #expect(try await ExperienceImporter.importFile(at: original, client: client, logger: logger) == ExperienceStore.WriteCount(inserted: 0, updated: 1))
            let changed = try temporaryFile("kb.json", String(contentsOfFile: original, encoding: .utf8).replacingOccurrences(of: "More secondary enrolment", with: "Higher secondary enrolment"))
            #expect(try await ExperienceImporter.importFile(at: changed, client: client, logger: logger) == ExperienceStore.WriteCount(inserted: 0, updated: 1))
            #expect(try await count(client, logger) == 1)
            let stored = try await ExperienceStore(client: client, logger: logger).list()
            #expect(stored.map(\.outcomes) == ["Higher secondary enrolment"])
        }
    }

    @Test("every problem of a CSV file is reported with its line, and nothing is written")
    func reportsEveryProblem() async throws {
        let path = try temporaryFile("bad.csv", """
            \(csvHeader)
            RWA,Rwanda,sub-saharan-africa,low,peacebuilding,Good one,1997,,P,A,O,1,source
            rw,Rwanda,sub-saharan-africa,low,peacebuilding,Bad code,1997,,P,A,O,1,source
            RWA,Rwanda,atlantis,low,fishing,Bad region and sector,1997,,P,A,O,1,source
            RWA,Rwanda,sub-saharan-africa,low,peacebuilding,No source,2005,2001,P,A,O,7,
            RWA,Rwanda,sub-saharan-africa,low,peacebuilding,Good one,1997,,P,A,O,1,source
            RWA,Rwanda,too,few
            """)
        try await withKnowledgeBase { client, logger, _ in
            let error = try await #require(throws: ExchangeError.self) {
                try await ExperienceImporter.importFile(at: path, client: client, logger: logger)
            }
            #expect(error.code == .invalidData)
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains("\(path):3: country_code: 'RW' is not an ISO 3166-1 alpha-3 code (three letters, such as RWA)"))
            #expect(lines.contains { $0.hasPrefix("\(path):4: region: unknown region 'atlantis'") })
            #expect(lines.contains { $0.hasPrefix("\(path):4: sectors: unknown sector 'fishing'") })
            #expect(lines.contains { $0.hasPrefix("\(path):5: end_year: 2001 is before start_year 2005") })
            #expect(lines.contains { $0.hasPrefix("\(path):5: outcome_strength: 7 is not 0") })
            #expect(lines.contains("\(path):5: sources: at least one source (a URL or a citation) is required"))
            #expect(lines.contains { $0.hasPrefix("\(path):6: programme: RWA 'Good one' is already on line 2") })
            #expect(lines.contains("\(path):7: 4 fields, but the header has 13"))
            #expect(error.diagnostics.map(\.line) == error.diagnostics.map(\.line).sorted())
            #expect(try await count(client, logger) == 0, "an import with problems must write nothing")
        }
    }

    @Test("JSON problems carry the line each object starts on")
    func jsonLines() throws {
        let text = """
            [
              {"country_code": "KEN", "country_name": "Kenya", "region": "sub-saharan-africa", "income_group": "lower-middle",
               "sectors": ["social-protection"], "programme": "A", "start_year": 2004, "problem": "p", "approach": "a",
               "outcomes": "o", "outcome_strength": 3, "sources": ["s"]},
              {"country_code": "KEN", "country_name": "Kenya", "region": "sub-saharan-africa", "income_group": "middle",
               "sectors": "social-protection", "programme": "B", "start_year": "2004", "problem": "p", "approach": "a",
               "outcomes": "o", "outcome_strength": true, "sources": [], "colour": "red"},
              42
            ]
            """
        let parsed = ExperienceImporter.parse(Data(text.utf8), fileName: "f.json", format: .json)
        #expect(parsed.experiences.isEmpty)
        let lines = parsed.diagnostics.map(\.description)
        #expect(lines.contains { $0.hasPrefix("f.json:5: income_group: unknown income group 'middle'") })
        #expect(lines.contains { $0.hasPrefix("f.json:5: colour: unknown field") })
        #expect(lines.contains("f.json:5: outcome_strength: expected a whole number"))
        #expect(lines.contains("f.json:5: sources: at least one source (a URL or a citation) is required"))
        #expect(lines.contains("f.json:8: element 3 is not an object"))
        #expect(!lines.contains { $0.hasPrefix("f.json:2") }, "the first object is valid")
    }

    @Test("a CSV header that lacks columns or has unknown ones is reported on line 1")
    func badHeader() throws {
        let parsed = ExperienceImporter.parse(Data("country_code,country,programme\nRWA,Rwanda,X\n".utf8), fileName: "h.csv", format: .csv)
        #expect(parsed.diagnostics.contains { $0.line == 1 && $0.message.hasPrefix("unknown column 'country'") })
        #expect(parsed.diagnostics.contains { $0.line == 1 && $0.message.hasPrefix("the header lacks the column(s) country_name, region") })
    }
}
