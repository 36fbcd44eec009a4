import Foundation
import MeridianTestSupport
import Testing

/// Every country can ask (issue 15, point 2), through `meridian kb match` and `kb countries`
/// (the table itself: MeridianExchangeTests' CountryTableTests).
@Suite("kb match and kb countries over the country table")
struct CountryCommandTests {
    @Test("a country with no experience in the catalogue matches with the table's region and income group")
    func laosCanAsk() async throws {
        try await TestDatabase.withFresh { database in
            #expect(try await MeridianBinary.run(["kb", "seed", "--database-url", database.url], environment: try await KBCommandTests().curator(database)).status == 0)
            let output = try await MeridianBinary.run([
                "kb", "match", "--text", "water utility reform", "--country", "LAO", "--json", "--database-url", database.url,
            ])
            #expect(output.status == 0, "\(output.standardError)")
            let countries = try await MeridianBinary.run(["kb", "countries", "--json"])
            #expect(countries.status == 0)
            let table = try #require(try JSONSerialization.jsonObject(with: Data(countries.standardOutput.utf8)) as? [String: Any])
            #expect((table["countries"] as? [[String: Any]])?.contains { $0["alpha3"] as? String == "LAO" } == true)
            let people = try await MeridianBinary.run(["kb", "countries", "--language", "fr"])
            #expect(people.standardOutput.contains("LAO") && people.standardOutput.contains("economies; source:"))
        }
    }
}
