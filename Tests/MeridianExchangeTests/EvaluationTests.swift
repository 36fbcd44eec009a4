import Foundation
import MeridianDomainTestSupport
import MeridianExchange
import MeridianTestSupport
import Testing

/// Matching measured on real exchanges (issue 15, point 6).
@Suite("the match evaluation")
struct EvaluationTests {
    @Test("each language of each exchange is a case; hit rates and reciprocal ranks are computed as documented")
    func figures() throws {
        let cases = try MatchEvaluation.parse(Data(EvaluationSample.file.utf8))
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
        // The first exchange of the file tunes, the second is held out; each half has its figures.
        #expect(cases.map(\.half) == [.tuning, .tuning, .heldOut])
        #expect(report.byHalf["tuning"]?.cases == 2 && report.byHalf["tuning"]?.top5 == 1)
        #expect(report.byHalf["held-out"]?.cases == 1 && report.byHalf["held-out"]?.top5 == 0)
    }

    /// The shipped evaluation set, next to the tests.
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Evaluation/eval-exchanges.json")

    @Test("on the shipped real exchanges, the right country is in the top five for at least 90 %, in each half and each language at least 85 %")
    func shippedEvaluationReachesTheGoal() async throws {
        let cases = try MatchEvaluation.parse(try Data(contentsOf: Self.shipped))
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            let outcomes = try await MatchEvaluation.run(cases, matcher: Matcher(client: client, logger: logger), countries: try CountryTable.shipped())
            let report = MatchEvaluation.report(outcomes)
            #expect(report.overall.top5 >= 0.9, "\(report.overall) missed: \(report.missed)")
            for (name, figures) in report.byLanguage.merging(report.byHalf, uniquingKeysWith: { first, _ in first }) {
                #expect(figures.top5 >= 0.85, "\(name): \(figures)")
            }
        }
    }

    @Test("an explanation says where the right country ranked and what ranked above it, with score parts")
    func explainsAMiss() async throws {
        let cases = try MatchEvaluation.parse(Data(EvaluationSample.file.utf8))
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            let explanation = try await MatchEvaluation.explain(cases[0], matcher: Matcher(client: client, logger: logger), countries: try CountryTable.shipped())
            let rank = try #require(explanation.rank, "Rwanda's reintegration programme holds the request's words")
            #expect(explanation.lines.count == min(rank - 1, 5) + 1)
            #expect(explanation.lines.last?.hasPrefix("\(rank) RWA ") == true, "\(explanation.lines)")
            #expect(explanation.lines.allSatisfy { $0.contains("text ") && $0.contains("outcome ") })
            #expect(!explanation.concepts.isEmpty)
        }
    }
}
