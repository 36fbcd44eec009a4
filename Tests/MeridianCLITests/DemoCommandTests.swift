import Foundation
import MeridianTestSupport
import Testing

/// `meridian demo`, the README's main command, against a database of its own.
@Suite("meridian demo")
struct DemoCommandTests {
    @Test("the demo runs end to end, and a second run works too (deploy and seed are idempotent)")
    func runsTwice() async throws {
        try await TestDatabase.withFresh { database in
            let first = try await MeridianBinary.run(["demo", "--database-url", database.url])
            #expect(first.status == 0, "\(first.standardError)")
            #expect(first.standardOutput.contains("knowledge-exchange v1"))
            #expect(first.standardOutput.contains("deployed"))
            #expect(first.standardOutput.contains("29 new"))
            #expect(first.standardOutput.contains("amani.official (Amani Kabila; official; COD): added, token mrd_"))
            #expect(first.standardOutput.contains("lucia.manager (Lucía Pérez; program-manager): added"))
            #expect(first.standardOutput.contains("draft → submitted"))
            #expect(first.standardOutput.contains("refused — 'start-screening'"))
            #expect(first.standardOutput.contains("replayed the first outcome"))
            #expect(first.standardOutput.contains("screening → matching"))
            #expect(first.standardOutput.contains("audit: OK, 4 entries chained"))

            let second = try await MeridianBinary.run(["demo", "--database-url", database.url])
            #expect(second.status == 0, "\(second.standardError)")
            #expect(second.standardOutput.contains("unchanged"))
            #expect(second.standardOutput.contains("0 new, 29 updated"))
            #expect(second.standardOutput.contains("amani.official (Amani Kabila; official; COD): exists, token mrd_"))
            #expect(second.standardOutput.contains("lucia.manager (Lucía Pérez; program-manager): exists"))
            #expect(second.standardOutput.contains("audit: OK, 4 entries chained"))
        }
    }
}
