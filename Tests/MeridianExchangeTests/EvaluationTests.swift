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
    }
}
