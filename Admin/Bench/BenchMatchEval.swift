import Foundation
import Logging
import MeridianExchange
import MeridianPostgres
import PostgresNIO

/// `meridian bench match --eval FILE`: matching measured on real exchanges against the
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
    }

    static func run(file: String, database: DatabaseOptions, preselection: Matcher.Preselection, weights: MatchingWeights, json: Bool) async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIFailure("cannot read \(file): no such file or it is not readable", status: .notFound)
        }
        let cases = try MatchEvaluation.parse(data)
        let countries = try CountryTable.shipped()
        let logger = database.logger
        let base = try await database.connect()
        var scratch = base
        scratch.database = scratchDatabase
        let quoted = ConnectionSettings.quoteIdentifier(scratchDatabase)
        try await withPostgresConnection(base, logger: logger) { connection in
            try await connection.query("DROP DATABASE IF EXISTS \(unescaped: quoted) WITH (FORCE)", logger: logger)
            try await connection.query("CREATE DATABASE \(unescaped: quoted)", logger: logger)
        }
        try await Migrator.bundled().migrate(scratch, logger: logger)
        let catalogue = try SeedCatalogue.experiences()
        let line = try await withPostgresClient(scratch, logger: logger) { client in
            _ = try await ExperienceImporter.store(catalogue, client: client, logger: logger)
            let matcher = Matcher(client: client, logger: logger, weights: weights, preselection: preselection)
            var samples: [Double] = []
            var outcomes: [MatchEvaluation.Outcome] = []
            for item in cases {
                let start = ContinuousClock.now
                outcomes += try await MatchEvaluation.run([item], matcher: matcher, countries: countries)
                samples.append((ContinuousClock.now - start).seconds * 1000)
            }
            samples.sort()
            return Line(
                file: file, catalogue: catalogue.count, report: MatchEvaluation.report(outcomes, catalogue: catalogue),
                p50Ms: (samples.percentile(50) * 100).rounded() / 100, p95Ms: (samples.percentile(95) * 100).rounded() / 100,
                preselection: preselection.rawValue
            )
        }
        try await withPostgresConnection(base, logger: logger) { connection in
            try await connection.query("DROP DATABASE IF EXISTS \(unescaped: quoted) WITH (FORCE)", logger: logger)
        }
        if json {
            print(try JSONOutput.line(line))
            return
        }
        func row(_ name: String, _ figures: MatchEvaluation.Figures) -> [String] {
            [name, "\(figures.cases)", percent(figures.top1), percent(figures.top5), String(format: "%.3f", figures.meanReciprocalRank), percent(figures.languageDetected)]
        }
        let languages = Language.allCases.compactMap { language in line.report.byLanguage[language.rawValue].map { row(language.rawValue, $0) } }
        let reachable = line.report.inCatalogue.map { [row("in catalogue", $0)] } ?? []
        print(Table.render(["LANGUAGE", "CASES", "TOP-1", "TOP-5", "MRR@5", "LANGUAGE DETECTED"], languages + [row("all", line.report.overall)] + reachable))
        if line.report.inCatalogue != nil {
            print("in catalogue: the cases whose expected programme the shipped catalogue holds (the others cannot be found by name)")
        }
        print("catalogue: \(line.catalogue) experiences; matches p50 \(line.p50Ms) ms, p95 \(line.p95Ms) ms (\(line.preselection))")
        if !line.report.missed.isEmpty {
            print("not in the top five:")
            for missed in line.report.missed { print("  \(missed)") }
        }
    }

    private static func percent(_ share: Double) -> String { String(format: "%.1f %%", share * 100) }
}
