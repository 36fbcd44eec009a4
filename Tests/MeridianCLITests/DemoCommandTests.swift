import Foundation
import MeridianPostgres
import MeridianTestSupport
import PostgresNIO
import Testing

/// `meridian demo`, the README's main command, against a database of its own.
@Suite("meridian demo")
struct DemoCommandTests {
    @Test("the demo runs five exchanges from request to closed, twice on one database, and leaves a consistent ledger")
    func runsTwice() async throws {
        try await TestDatabase.withFresh { database in
            let files = FileManager.default.temporaryDirectory.appendingPathComponent("meridian-demo-test-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: files) }
            let refused = try await MeridianBinary.run(["demo", "--database-url", database.url])
            #expect(refused.status == 64 && refused.standardError.contains("--allow-external-database"), "an external database needs the confirmation")
            let arguments = ["demo", "--database-url", database.url, "--allow-external-database", "--files-dir", files.path]

            let first = try await MeridianBinary.run(arguments)
            #expect(first.status == 0, "\(first.standardError)")
            let output = first.standardOutput
            #expect(output.contains("knowledge-exchange v3") && output.contains("deployed"))
            // "seed catalogue: N real programmes with their sources (N new, 0 updated)"
            let catalogue = output.components(separatedBy: "seed catalogue: ").dropFirst().first?.prefix { $0.isNumber }
            let programmes = try #require(catalogue.flatMap { Int($0) })
            #expect(programmes >= 29 && output.contains("(\(programmes) new, 0 updated)"))
            #expect(output.contains("amani.official — Amani Kabila, official of COD  (added)"))
            #expect(output.contains("[COD] matches: ") && output.contains("Rwanda"))
            #expect(output.contains("[NPL] Fatima Diallo rejects the grant of 96,500.00 USD"))
            #expect(output.contains("[NPL] revised plan v2"))
            #expect(output.contains("approved by 2 approvers (above 50,000.00 USD)"))
            #expect(output.contains("4 settled, 1 rejected"))
            #expect(output.contains("[UGA] the payment failed and is back with the finance officers"))
            #expect(output.components(separatedBy: "Lucía Pérez accepts the report → closed").count - 1 == 5)
            #expect(output.contains("[GHA] results are in: the 30% instalment is due"))
            #expect(output.components(separatedBy: "chain intact").count - 1 == 5)
            #expect(output.contains("disbursed      224,800.00 USD"))
            #expect(output.contains("co-financing   22,500.00 USD"))
            #expect(output.contains(", 0 dead"))
            // The files it wrote are the standards' files.
            let written = try FileManager.default.contentsOfDirectory(atPath: files.path)
            #expect(written.filter { $0.hasSuffix(".pain001.xml") }.count == 3)
            #expect(written.filter { $0.hasSuffix(".pain002.xml") }.count == 3)
            #expect(written.contains("rapid-response-iati.xml"))

            let second = try await MeridianBinary.run(arguments)
            #expect(second.status == 0, "\(second.standardError)")
            #expect(second.standardOutput.contains("unchanged"))
            #expect(second.standardOutput.contains("0 new, \(programmes) updated"))
            #expect(!second.standardOutput.contains("(added)"), "the users exist from the first run")
            #expect(second.standardOutput.components(separatedBy: "→ closed").count - 1 == 5)
            #expect(second.standardOutput.contains("disbursed      449,600.00 USD"))

            // What the two runs left in the database.
            let counts = try await withPostgresClient(database.settings, logger: database.logger) { client in
                var counts: [Int] = []
                for sql in [
                    "SELECT count(*) FROM engine_instances WHERE workflow_id = 'knowledge-exchange' AND state = 'closed'",
                    "SELECT count(*) FROM funding_payment_instructions WHERE status = 'paid'",
                    "SELECT count(*) FROM funding_payment_instructions WHERE status = 'failed'",
                    "SELECT count(*) FROM user_tokens WHERE revoked_at IS NULL",
                    "SELECT count(*) FROM experiences",
                ] {
                    counts.append(try await client.query(PostgresQuery(unsafeSQL: sql), logger: database.logger).collect()[0].decode(Int.self))
                }
                return counts
            }
            #expect(counts[0] == 10, "closed exchanges")
            #expect(counts[1] == 12 && counts[2] == 2, "paid and failed payments: per run five first payments (one failing, paid again) and Ghana's second instalment")
            #expect(counts[3] == 0, "the demo revokes its tokens")
            #expect(counts[4] == programmes + 10, "every closed exchange became an experience")
        }
    }
}
