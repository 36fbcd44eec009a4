import ArgumentParser
import Foundation
import Logging
import MeridianExchange
import MeridianPostgres
import PostgresNIO

/// `meridian-bench match`: matching latency over a large generated catalogue.
struct BenchMatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Time kb matching over a generated catalogue (default 100,000 experiences) in a scratch database.",
        discussion: """
            Creates the database meridian_bench_match next to the configured one (dropped first if it \
            exists, and afterwards unless --keep), migrates it, inserts the synthetic catalogue with \
            unnest (untimed), runs ANALYZE and refreshes the term statistics, then times --queries \
            matches of varied requests after --warmup unmeasured ones. Prints one JSON line with p50, \
            p95 and p99 in milliseconds (one per language with --languages). Goal: p95 ≤ 20 ms.

            By default matches rank in memory (MatchIndex): the first match loads the index, timed \
            apart (indexLoadSeconds, firstMatchMs, rssMB). --after-import N then imports N new \
            experiences as `kb import` does (untimed), times the first match after it (which \
            catches up) and measures the others after it; the imported rows are deleted at the end. \
            --recall compares every measured match with the SQL exhaustive ranking (slow: ~3 s a \
            request at 100,000; use --queries 30–50).

            Example:
              swift build -c release && .build/release/meridian-bench match --experiences 100000 --queries 200
              .build/release/meridian-bench match --keep --reuse --languages en,fr,es,pt --queries 200
              .build/release/meridian-bench match --keep --reuse --languages en,fr,es,pt --after-import 10000
              .build/release/meridian-bench match --keep --reuse --languages en,pt --queries 40 --recall   # against SQL exhaustive
              .build/release/meridian-bench match --keep --reuse --preselection search-index
              .build/release/meridian-bench match --eval Tests/Evaluation/eval-exchanges.json   # real exchanges, shipped catalogue
            """
    )
    @OptionGroup var database: BenchDatabaseOptions
    @Option(help: "Synthetic experiences to generate.") var experiences = 100_000
    @Option(help: "Measured match queries.") var queries = 200
    @Option(help: "Unmeasured match queries first.") var warmup = 20
    @Flag(help: "Keep the scratch database afterwards.") var keep = false
    @Flag(help: "Use the scratch database a --keep run left, if it holds --experiences rows (saves the load).") var reuse = false
    @Option(help: "Where candidates come from: automatic (default: the in-memory index), memory (the same), postings or search-index (earlier approximations, without an index) or exhaustive (every row in SQL, slow).")
    var preselection: Matcher.Preselection = .automatic
    @Option(help: "Rows the search-index pre-selection aims at (Matcher.candidateBudget; default 1000).")
    var candidateBudget: Int?
    @Option(help: "The postings path's pools, TEXT/BEST-TEXT/BLENDED/COMBINATIONS/PROFILE (Matcher.Pools; default 400/50/150/40/300).")
    var pools: String?
    @Option(help: "Postings read per request word, or for search-index the most rows ranked (Matcher.candidateCap; default 200 / 2000).")
    var candidateCap: Int?
    @Flag(help: "Also match every measured request with the exhaustive pre-selection in SQL (and, for postings or search-index runs, with search-index), untimed, and report how many of its top-5 countries are in this run's top 5 and how many requests got identical matches.")
    var recall = false
    @Option(help: "Real requests in each of these languages in turn, comma-separated (en,fr,es,pt): one JSON line each.")
    var languages: String?
    @Option(help: "After the index has loaded, import this many new experiences as `kb import` does, then measure (default 0: none).")
    var afterImport = 0
    @Option(help: "Instead of the synthetic catalogue: match the real exchanges of this evaluation file against the shipped catalogue and print top-1, top-5 and MRR, per language too.")
    var eval: String?
    @Option(help: "Instead of synthetic request texts: the real problems of --requests-file in this language (en, fr, es, pt), cycled, with their sectors; the language is detected as for a real request.")
    var language: Language?
    @Option(help: "The evaluation file --language takes its requests from.")
    var requestsFile = "Tests/Evaluation/eval-exchanges.json"
    @Flag(help: "Order the postings pre-selection by raw tenths, as before issue 15's measurement, instead of the rarity-weighted, saturated score (Matcher.weightedPreselection, the default).")
    var rawPreselection = false
    @Flag(help: "With --eval, print one JSON line.") var json = false
    @Option(help: "With --eval: override weights, NAME=NUMBER,… (see kb match).") var weights: String?
    @Flag(help: "With --eval: for each case whose country is not in the top five, where it ranked and what ranked above it, with score parts and matched words.")
    var explain = false

    static let scratchDatabase = "meridian_bench_match"

    func validate() throws {
        guard experiences > 0, queries > 0, warmup >= 0 else { throw ValidationError("--experiences and --queries must be positive, --warmup not negative.") }
        guard (candidateBudget ?? 1) > 0, (candidateCap ?? 1) > 0 else { throw ValidationError("--candidate-budget and --candidate-cap must be positive.") }
        guard afterImport >= 0 else { throw ValidationError("--after-import must not be negative.") }
        _ = try parsedLanguages()
        _ = try parsedPools()
    }

    /// `--languages` (else `--language`, else the synthetic texts: `nil`).
    func parsedLanguages() throws -> [Language?] {
        guard let languages else { return [language] }
        let parsed = languages.split(separator: ",").map { Language(rawValue: String($0).trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--languages takes language codes separated by commas, such as en,fr,es,pt.")
        }
        return parsed
    }

    /// `--pools` as ``Matcher/Pools``, the defaults without it.
    func parsedPools() throws -> Matcher.Pools {
        guard let pools else { return .default }
        let values = pools.split(separator: "/", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard values.count == 5, pools.split(separator: "/", omittingEmptySubsequences: false).count == 5, values.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--pools takes five numbers ≥ 0 separated by '/', such as 400/50/150/40/300.")
        }
        return Matcher.Pools(text: values[0], bestText: values[1], blended: values[2], combinations: values[3], profile: values[4])
    }

    func run() async throws {
        if let eval {
            let weights = try weights.map { try MatchingWeights.default.overridden(by: $0) } ?? .default
            try await BenchMatchEval.run(file: eval, database: database, preselection: preselection, weights: weights, json: json, explain: explain)
            return
        }
        let logger = database.logger
        let base = try await database.connect()
        var target = ScratchDatabase(on: base, name: Self.scratchDatabase)
        let reusable: Bool
        if reuse { reusable = try await Self.holdsCatalogue(of: experiences, target, logger: logger) } else { reusable = false }
        if !reusable {
            target = try await ScratchDatabase.create(Self.scratchDatabase, on: base, replacing: true, logger: logger)
        }
        let scratch = target.settings
        try await Migrator.bundled().migrate(scratch, logger: logger)
        var generator = try SyntheticCatalogue()
        let languages = try parsedLanguages()
        var texts: [(String, [Sector])]?
        var nextText = 0
        /// A synthetic request, its text and sectors replaced by the next real one in the language measured.
        func nextRequest() -> MatchRequest {
            var request = generator.request()
            if let texts {
                (request.text, request.sectors) = texts[nextText % texts.count]
                nextText += 1
            }
            return request
        }
        // Generated even when reused: the requests come from the same generator afterwards.
        let catalogue = generator.experiences(experiences)
        let lines = try await withPostgresClient(scratch, logger: logger) { client in
            let loadStart = ContinuousClock.now
            if !reusable { try await client.withConnection { connection in
                var offset = 0
                while offset < catalogue.count {
                    let batch = Array(catalogue[offset..<min(offset + 5_000, catalogue.count)])
                    _ = try await ExperienceStore.upsert(batch, on: connection, logger: logger, refreshTerms: false)
                    offset += batch.count
                }
                try await connection.query("ANALYZE experiences", logger: logger)
                try await connection.query("ANALYZE experience_postings", logger: logger)
                try await ExperienceStore.refreshTermStatistics(on: connection, logger: logger)
                // As `kb import` does once its transaction has committed.
                try await ExperienceStore.settle(on: connection, logger: logger)
            } }
            let loadSeconds = (ContinuousClock.now - loadStart).seconds
            let index = preselection == .automatic || preselection == .memory ? MatchIndex() : nil
            var matcher = Matcher(
                client: client, logger: logger, preselection: preselection, index: index,
                candidateBudget: candidateBudget, candidateCap: candidateCap
            )
            matcher.weightedPreselection = !rawPreselection
            matcher.pools = try parsedPools()
            // The cold load: the first match of the process reads the whole catalogue.
            var cold = Cold(loadAverage: Self.loadAverage(), rssMBBefore: Self.residentMB())
            do {
                let start = ContinuousClock.now
                _ = try await matcher.match(nextRequest())
                cold.firstMatchMs = Self.milliseconds(ContinuousClock.now - start)
                cold.rssMBAfter = Self.residentMB()
                if let index {
                    cold.indexLoadSeconds = ((await index.reading.seconds) * 100).rounded() / 100
                    let catalogue = await index.catalogue
                    cold.indexExperiences = catalogue.count
                    cold.indexPostings = catalogue.postingCount
                    cold.indexLexemes = catalogue.lexemeCount
                }
            }
            var imported: [Experience] = []
            var afterImport: AfterImport?
            if self.afterImport > 0 {
                imported = generator.experiences(self.afterImport).map { experience in
                    var experience = experience
                    experience.programme += " (imported)"
                    return experience
                }
                let start = ContinuousClock.now
                _ = try await ExperienceImporter.store(imported, client: client, logger: logger)
                let importSeconds = (ContinuousClock.now - start).seconds
                let loadAverage = Self.loadAverage()
                let first = ContinuousClock.now
                _ = try await matcher.match(nextRequest())
                var measured = AfterImport(
                    imported: imported.count, importSeconds: (importSeconds * 10).rounded() / 10, loadAverage: loadAverage,
                    firstMatchMs: Self.milliseconds(ContinuousClock.now - first), rssMB: Self.residentMB()
                )
                if let index {
                    let reading = await index.reading
                    measured.catchUpMs = (reading.seconds * 100_000).rounded() / 100
                    measured.catchUpRows = reading.rows
                }
                afterImport = measured
            }
            var lines: [Line] = []
            for language in languages {
                texts = try language.map { try Self.requestTexts(in: $0, file: requestsFile) }
                nextText = 0
                let loadAverage = Self.loadAverage()
                for _ in 0..<warmup { _ = try await matcher.match(nextRequest()) }
                var samples: [Double] = []
                var matchCounts = 0
                var measured: [(request: MatchRequest, matches: [Match])] = []
                for _ in 0..<queries {
                    let request = nextRequest()
                    let start = ContinuousClock.now
                    let result = try await matcher.match(request)
                    samples.append(Self.milliseconds(ContinuousClock.now - start))
                    matchCounts += result.matches.count
                    measured.append((request, result.matches))
                }
                let againstSearchIndex = recall && index == nil
                let recallTop5 = againstSearchIndex ? try await Self.recall(of: measured, against: .searchIndex, client: client, logger: logger) : nil
                let exhaustive = recall ? try await Self.recall(of: measured, against: .exhaustive, client: client, logger: logger) : nil
                samples.sort()
                func percentile(_ p: Double) -> Double { (samples.percentile(p) * 100).rounded() / 100 }
                lines.append(Line(
                    experiences: experiences, queries: queries, p50Ms: percentile(50), p95Ms: percentile(95),
                    p99Ms: percentile(99), maxMs: (samples.last! * 100).rounded() / 100,
                    preselection: index == nil ? matcher.preselection.rawValue : Matcher.Preselection.memory.rawValue,
                    candidateBudget: matcher.candidateBudget, candidateCap: matcher.candidateCap,
                    pools: "\(matcher.pools.text)/\(matcher.pools.bestText)/\(matcher.pools.blended)/\(matcher.pools.combinations)/\(matcher.pools.profile)",
                    weightedPreselection: matcher.weightedPreselection, language: language?.rawValue ?? "synthetic",
                    recallTop5: recallTop5?.recall, recallTop5Exhaustive: exhaustive?.recall, identicalToExhaustive: exhaustive?.identical,
                    meanMatches: Double(matchCounts) / Double(queries), loadSeconds: (loadSeconds * 10).rounded() / 10,
                    loadAverage: loadAverage, cold: index == nil ? nil : cold, afterImport: afterImport
                ))
            }
            if !imported.isEmpty {
                // Leaves the scratch catalogue as it was, for the next --reuse.
                try await client.query(
                    "DELETE FROM experiences WHERE programme = ANY(\(imported.map(\.programme))) AND programme LIKE '% (imported)'", logger: logger)
            }
            return lines
        }
        if !keep { try await target.drop(logger: logger) }
        for line in lines { print(try BenchJSON.line(line)) }
    }

    /// The texts and sectors of the evaluation file's problems written in `language`.
    static func requestTexts(in language: Language, file: String) throws -> [(String, [Sector])] {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw BenchFailure("cannot read \(file): no such file or it is not readable; pass --requests-file")
        }
        let texts = try MatchEvaluation.parse(data).filter { $0.language == language }.map { ($0.text, $0.sectors) }
        guard !texts.isEmpty else { throw BenchFailure("\(file) has no problem written in '\(language.rawValue)'; pass another --language") }
        return texts
    }

    /// Whether the scratch database exists and holds `count` experiences.
    static func holdsCatalogue(of count: Int, _ scratch: ScratchDatabase, logger: Logger) async throws -> Bool {
        guard try await scratch.exists(logger: logger) else { return false }
        return try await withPostgresConnection(scratch.settings, logger: logger) { connection in
            let rows = try await connection.query("SELECT count(*) FROM pg_class WHERE relname = 'experiences'", logger: logger).collect()
            guard try rows[0].decode(Int.self) == 1 else { return false }
            return try await connection.query("SELECT count(*) FROM experiences", logger: logger).collect()[0].decode(Int.self) == count
        }
    }

    /// The share of the `reference` pre-selection's top-5 countries, over `measured`, that
    /// the run's own top 5 also holds (1 when it agrees everywhere), and how many requests got
    /// the very same matches (ids, scores, reasons).
    static func recall(
        of measured: [(request: MatchRequest, matches: [Match])], against preselection: Matcher.Preselection,
        client: PostgresClient, logger: Logger
    ) async throws -> (recall: Double, identical: Int) {
        let reference = Matcher(client: client, logger: logger, preselection: preselection)
        var expected = 0
        var found = 0
        var identical = 0
        for (request, matches) in measured {
            let wanted = try await reference.match(request).matches
            expected += wanted.count
            found += wanted.map(\.countryCode).filter(matches.map(\.countryCode).contains).count
            if wanted == matches { identical += 1 }
        }
        return (expected == 0 ? 1 : (Double(found) / Double(expected) * 10_000).rounded() / 10_000, identical)
    }

    static func milliseconds(_ duration: Duration) -> Double { duration.seconds * 1000 }

    /// The 1-minute load average (/proc/loadavg), to read each figure against.
    static func loadAverage() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return -1 }
        return Double(text.split(separator: " ").first ?? "") ?? -1
    }

    /// This process's resident memory in MB (/proc/self/status VmRSS).
    static func residentMB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
        return (kilobytes / 1024).rounded()
    }

    /// The first match of the process, which loads the index.
    struct Cold: Encodable {
        var loadAverage: Double
        var rssMBBefore: Double
        var rssMBAfter: Double = 0
        var firstMatchMs = 0.0
        var indexLoadSeconds = 0.0
        var indexExperiences = 0
        var indexPostings = 0
        var indexLexemes = 0
    }

    /// The import made after the index loaded and the first match after it (which catches up).
    struct AfterImport: Encodable {
        var imported: Int
        var importSeconds: Double
        var loadAverage: Double
        var firstMatchMs: Double
        var rssMB: Double
        var catchUpMs = 0.0
        var catchUpRows = 0
    }

    struct Line: Encodable {
        var experiences: Int
        var queries: Int
        var p50Ms: Double
        var p95Ms: Double
        var p99Ms: Double
        var maxMs: Double
        var preselection: String
        var candidateBudget: Int
        var candidateCap: Int
        var pools: String
        var weightedPreselection: Bool
        /// `synthetic` for the generator's English word draws, else the language of the real requests.
        var language: String
        var recallTop5: Double?
        var recallTop5Exhaustive: Double?
        /// Requests whose matches equal the SQL exhaustive ranking's exactly.
        var identicalToExhaustive: Int?
        var meanMatches: Double
        var loadSeconds: Double
        /// The 1-minute load average before the warm-up.
        var loadAverage: Double
        var cold: Cold?
        var afterImport: AfterImport?
    }
}

extension Matcher.Preselection: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}
