import Foundation
import MeridianExchange
import MeridianTestSupport
import Testing

/// Matching measured on real exchanges (issue 15, point 6).
@Suite("the match evaluation")
struct EvaluationTests {
    static let file = """
        [
          {"id": "cod-rwa", "requesting_country": "COD", "expected_country": "RWA", "sectors": ["demobilisation-reintegration"],
           "problem": {"en": "Reintegrate former combatants into civilian life through employment and training",
                       "fr": "Réintégrer d'anciens combattants dans la vie civile grâce à l'emploi et à la formation"},
           "source": "test"},
          {"id": "gtm-mex", "requesting_country": "GTM", "expected_country": ["MEX", "BRA"], "sectors": ["social-protection"],
           "problem": {"es": "Transferencias monetarias condicionadas a la asistencia escolar y a los controles de salud de los niños"},
           "source": "test"}
        ]
        """

    @Test("each language of each exchange is a case; hit rates and reciprocal ranks are computed as documented")
    func figures() throws {
        let cases = try MatchEvaluation.parse(Data(Self.file.utf8))
        #expect(cases.map { "\($0.id) \($0.language.rawValue)" } == ["cod-rwa en", "cod-rwa fr", "gtm-mex es"])
        #expect(cases[2].expected == ["MEX", "BRA"])
        let outcomes = [
            MatchEvaluation.Outcome(case: cases[0], proposed: ["RWA", "SLE"], detected: .english),
            MatchEvaluation.Outcome(case: cases[1], proposed: ["SLE", "LBR", "RWA"], detected: .french),
            MatchEvaluation.Outcome(case: cases[2], proposed: ["PER", "COL"], detected: .portuguese),
        ]
        let report = MatchEvaluation.report(outcomes)
        #expect(report.overall.cases == 3)
        #expect(report.overall.top1 == 0.333 && report.overall.top5 == 0.667)
        #expect(report.overall.meanReciprocalRank == 0.444)            // (1 + 1/3 + 0) / 3
        #expect(report.overall.languageDetected == 0.667)
        #expect(report.byLanguage["fr"]?.meanReciprocalRank == 0.333)
        #expect(report.missed == ["gtm-mex (es): expected MEX/BRA, proposed PER COL"])
        #expect(throws: ExchangeError.self) { try MatchEvaluation.parse(Data(#"[{"id": "x", "problem": {"en": "y"}}]"#.utf8)) }
    }

    @Test("bench match --eval prints top-1, top-5 and MRR per language against the shipped catalogue")
    func benchEval() async throws {
        let path = try temporaryFile("eval.json", Self.file)
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
        }
    }
}
