import Foundation
import MeridianDomainTestSupport
import MeridianTestSupport
import Testing

/// `meridian kb …` run as a user would.
@Suite("meridian kb")
struct KBCommandTests {
    /// Adds the first admin (the bootstrap, no token needed) and returns her token, for the
    /// commands that write the knowledge base.
    func curator(_ database: TestDatabase) async throws -> [String: String] {
        let added = try await MeridianBinary.run(["user", "add", "ada", "--name", "Ada", "--role", "admin", "--database-url", database.url])
        #expect(added.status == 0, "\(added.standardError)")
        return ["MERIDIAN_TOKEN": added.standardOutput.split(separator: "\n").last.map(String.init) ?? ""]
    }

    @Test("kb import of a bad file exits 65 with one line per problem, and writes nothing")
    func importErrors() async throws {
        let path = try temporaryFile("bad.csv", """
            \(csvHeader)
            RWA,Rwanda,atlantis,low,peacebuilding,X,1997,,P,A,O,1,source
            RWA,Rwanda,sub-saharan-africa,low,peacebuilding,Y,1997,,P,A,O,9,
            """)
        try await TestDatabase.withFresh { database in
            let anonymous = try await MeridianBinary.run(["kb", "import", path, "--database-url", database.url])
            #expect(anonymous.status == 77, "\(anonymous.standardError)")
            let output = try await MeridianBinary.run(["kb", "import", path, "--database-url", database.url], environment: try await curator(database))
            #expect(output.status == 65)
            let lines = output.standardError.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("\(path):2: region: unknown region 'atlantis'") })
            #expect(lines.contains { $0.hasPrefix("\(path):3: outcome_strength: 9 is not") })
            #expect(lines.contains("\(path):3: sources: at least one source (a URL or a citation) is required"))
            #expect(lines.last?.hasPrefix("meridian: error: 3 problem(s) in \(path); nothing was imported") == true, "\(lines)")
            let list = try await MeridianBinary.run(["kb", "list", "--json", "--database-url", database.url])
            #expect(list.status == 0)
            #expect(list.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || list.standardOutput.contains("[]"))
        }
    }

    @Test("kb seed, kb search --json parses and ranks DDR first, kb show of an unknown id exits 66")
    func seedSearchShow() async throws {
        try await TestDatabase.withFresh { database in
            let seed = try await MeridianBinary.run(["kb", "seed", "--database-url", database.url], environment: try await curator(database))
            #expect(seed.status == 0, "\(seed.standardError)")
            let search = try await MeridianBinary.run(["kb", "search", "demobilised combatants reintegration", "--json", "--database-url", database.url])
            #expect(search.status == 0, "\(search.standardError)")
            let hits = try #require(try JSONSerialization.jsonObject(with: Data(search.standardOutput.utf8)) as? [[String: Any]])
            let first = try #require(hits.first?["experience"] as? [String: Any])
            #expect((first["sectors"] as? [String])?.contains("demobilisation-reintegration") == true)
            let id = try #require(first["id"] as? Int)
            let shown = try await MeridianBinary.run(["kb", "show", "\(id)", "--database-url", database.url])
            #expect(shown.status == 0 && shown.standardOutput.contains("Sources:"))
            let missing = try await MeridianBinary.run(["kb", "show", "999999", "--database-url", database.url])
            #expect(missing.status == 66)
            #expect(missing.standardError == "meridian: error: no experience has the id 999999; see `meridian kb list`\n")
        }
    }

    @Test("kb match --json proposes other countries and explains why")
    func match() async throws {
        try await TestDatabase.withFresh { database in
            #expect(try await MeridianBinary.run(["kb", "seed", "--database-url", database.url], environment: try await curator(database)).status == 0)
            let output = try await MeridianBinary.run([
                "kb", "match", "--text", "conditional cash transfers for school attendance", "--sector", "social-protection",
                "--country", "MEX", "--json", "--database-url", database.url,
            ])
            #expect(output.status == 0, "\(output.standardError)")
            let result = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
            let matches = try #require(result["matches"] as? [[String: Any]])
            #expect(matches.count == 5)
            #expect(!matches.contains { $0["country_code"] as? String == "MEX" })
            #expect(matches.allSatisfy { ($0["reasons"] as? [String: Any])?["matched_terms"] != nil })
            let unknown = try await MeridianBinary.run(["kb", "match", "--text", "x", "--country", "ZZZ", "--database-url", database.url])
            #expect(unknown.status == 64)
        }
    }
}
