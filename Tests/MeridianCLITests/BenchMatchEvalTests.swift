import Foundation
import MeridianDomainTestSupport
import MeridianTestSupport
import Testing

/// `meridian bench match --eval` (issue 15, point 6; the figures themselves: MeridianExchangeTests' EvaluationTests).
@Suite("bench match --eval")
struct BenchMatchEvalTests {
    @Test("bench match --eval prints top-1, top-5 and MRR per language against the shipped catalogue")
    func benchEval() async throws {
        let path = try temporaryFile("eval.json", EvaluationSample.file)
        try await TestDatabase.withFresh { database in
            let output = try await MeridianBinary.run(["bench", "match", "--eval", path, "--json", "--database-url", database.url])
            #expect(output.status == 0, "\(output.standardError)")
            let line = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
            let report = try #require(line["report"] as? [String: Any])
            let overall = try #require(report["overall"] as? [String: Any])
            #expect(overall["cases"] as? Int == 3)
            #expect((report["by_language"] as? [String: Any])?.keys.sorted() == ["en", "es", "fr"])
            #expect((overall["top5"] as? Double ?? 0) >= 0.66, "\(output.standardOutput)")
            let people = try await MeridianBinary.run(["bench", "match", "--eval", path, "--database-url", database.url])
            #expect(people.standardOutput.contains("TOP-5") && people.standardOutput.contains("MRR@5"))
            #expect(people.standardOutput.contains("\ntuning ") && people.standardOutput.contains("\nheld-out "), "\(people.standardOutput)")
            #expect((report["by_half"] as? [String: Any])?.keys.sorted() == ["held-out", "tuning"])
            // --explain: each case not in the top five, where its country ranked and what ranked above it.
            let explained = try await MeridianBinary.run(["bench", "match", "--eval", path, "--explain", "--json", "--database-url", database.url])
            let explainedLine = try #require(try JSONSerialization.jsonObject(with: Data(explained.standardOutput.utf8)) as? [String: Any])
            let explanations = try #require(explainedLine["explanations"] as? [[String: Any]])
            let missed = try #require(report["missed"] as? [String])
            #expect(explanations.count == missed.count)
            #expect(explanations.allSatisfy { ($0["lines"] as? [String])?.isEmpty == false })
        }
    }
}
