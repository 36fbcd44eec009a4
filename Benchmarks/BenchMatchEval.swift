import Foundation
import Logging
import MeridianExchange
import MeridianPostgres
import PostgresNIO

/// `meridian-bench match --eval FILE`: matching measured on real exchanges against the
/// shipped catalogue, in a scratch database of its own.
enum BenchMatchEval {
    static let scratchDatabase = "meridian_bench_eval"

    /// What the evaluation prints as JSON: the figures, and the latency of its matches.
    struct Line: Encodable {
        var file: String
        var catalogue: Int
        var report: MatchEvaluation.Report
        var p50Ms: Double
        var p95Ms: Double
        var preselection: String
        /// With `--explain`: each missed case's ranking.
        var explanations: [MatchEvaluation.Explanation]?
    }

    static func run(
        file: String, database: BenchDatabaseOptions, preselection: Matcher.Preselection, weights: MatchingWeights, json: Bool,
        explain: Bool = false
    ) async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw BenchFailure("cannot read \(file): no such file or it is not readable")
        }
        let cases = try MatchEvaluation.parse(data)
        let countries = try CountryTable.shipped()
        let logger = database.logger
        let base = try await database.connect()
        let catalogue = try SeedCatalogue.experiences()
        let line = try await ScratchDatabase.with(scratchDatabase, on: base, replacing: true, logger: logger) { scratch in
            try await Migrator.bundled().migrate(scratch, logger: logger)
            return try await withPostgresClient(scratch, logger: logger) { client in
                _ = try await ExperienceImporter.store(catalogue, client: client, logger: logger)
                let index = preselection == .automatic || preselection == .memory ? MatchIndex() : nil
                let matcher = Matcher(client: client, logger: logger, weights: weights, preselection: preselection, index: index)
                var samples: [Double] = []
                var outcomes: [MatchEvaluation.Outcome] = []
                for item in cases {
                    let start = ContinuousClock.now
                    outcomes += try await MatchEvaluation.run([item], matcher: matcher, countries: countries)
                    samples.append((ContinuousClock.now - start).seconds * 1000)
                }
                samples.sort()
                var explanations: [MatchEvaluation.Explanation]?
                if explain {
                    explanations = []
                    for outcome in outcomes where (outcome.rank ?? 6) > 5 {
                        explanations?.append(try await MatchEvaluation.explain(outcome.case, matcher: matcher, countries: countries))
                    }
                }
                return Line(
                    file: file, catalogue: catalogue.count, report: MatchEvaluation.report(outcomes, catalogue: catalogue),
                    p50Ms: (samples.percentile(50) * 100).rounded() / 100, p95Ms: (samples.percentile(95) * 100).rounded() / 100,
                    preselection: preselection.rawValue, explanations: explanations
                )
            }
        }
        if json {
            print(try BenchJSON.line(line))
            return
        }
        func row(_ name: String, _ figures: MatchEvaluation.Figures) -> String {
            [name.padding(toLength: 14, withPad: " ", startingAt: 0), String(format: "%5d", figures.cases), percent(figures.top1),
             percent(figures.top5), String(format: "%6.3f", figures.meanReciprocalRank), percent(figures.languageDetected)].joined(separator: "  ")
        }
        print("LANGUAGE        CASES    TOP-1    TOP-5   MRR@5  LANGUAGE DETECTED")
        for language in Language.allCases {
            if let figures = line.report.byLanguage[language.rawValue] { print(row(language.rawValue, figures)) }
        }
        print(row("all", line.report.overall))
        for half in MatchEvaluation.Half.allCases {
            if let figures = line.report.byHalf[half.rawValue] { print(row(half.rawValue, figures)) }
        }
        if let reachable = line.report.inCatalogue {
            print(row("in catalogue", reachable))
            print("in catalogue: the cases whose expected programme the shipped catalogue holds (the others cannot be found by name)")
        }
        print("tuning / held-out: the exchanges at odd / even positions of the file (tune on the first, report both)")
        print("catalogue: \(line.catalogue) experiences; matches p50 \(line.p50Ms) ms, p95 \(line.p95Ms) ms (\(line.preselection))")
        if !line.report.missed.isEmpty {
            print("not in the top five:")
            for missed in line.report.missed { print("  \(missed)") }
        }
        for explanation in line.explanations ?? [] {
            let rank = explanation.rank.map { "ranked \($0)" } ?? "not ranked in the first \(MatchEvaluation.explainedDepth)"
            print("\(explanation.id) (\(explanation.language)): \(explanation.expected.joined(separator: "/")) \(rank); concepts: \(explanation.concepts.joined(separator: ", "))")
            for line in explanation.lines { print("    \(line)") }
        }
    }

    private static func percent(_ share: Double) -> String { String(format: "%6.1f %%", share * 100) }
}
