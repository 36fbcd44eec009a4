import ArgumentParser
import Foundation
import Logging
import MeridianPostgres
import MeridianQueue
import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

/// `meridian-bench queue`: the task queue's figures, following the peers harness' contract
/// (`../shared/bench/peers/README.md`): one JSON line per figure on standard output.
struct BenchQueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Measure bulk enqueue, single enqueue, drain and idle latency of the task queue.",
        discussion: """
            With --metric and --db-url it measures one figure on that (empty) database, as the \
            side-by-side harness calls it. Without --metric it measures all four, each on a fresh \
            scratch database of the server (--db-url's, else the private cluster), and drops them.
            Drain and latency run the worker in a process of its own (`bench queue-worker`).

            Example:
              swift build -c release && .build/release/meridian-bench queue --n 20000
            """
    )

    static let metrics = ["enqueue", "enqueue_single", "drain", "latency"]

    @OptionGroup var database: BenchDatabaseOptions
    @Option(help: "enqueue, enqueue_single, drain or latency (default: all, on scratch databases).") var metric: String?
    @Option(help: "The database (empty; the schema is installed untimed).") var dbUrl: String?
    @Option(help: "Jobs for enqueue and drain.") var n = 20_000
    @Option(help: "The name in the result lines.") var systemName = "meridian-queue"
    @Option(help: "Jobs per bulk enqueue call.") var batch = 1_000
    @Option(help: "Jobs for enqueue_single (at most --n).") var nSingle = 2_000
    @Option(help: "Jobs for the latency figure.") var latencyJobs = 200
    @Option(help: "Gap between latency jobs, in milliseconds.") var latencyGapMs = 20.0
    @Option(help: "Idle time before the latency jobs, in seconds.") var settleS = 2.0
    @Flag(help: "Latency: ready the producer's connection first (QueueStore.prepareEnqueue); the figures are then named latency_readied_pN, since the peers' producers start cold.") var readyProducer = false
    @Flag(help: ArgumentHelp("Latency: leave the producer's connection cold (the default; kept for older scripts).", visibility: .hidden)) var coldProducer = false
    @Option(help: "Worker concurrency (default: the worker's own default).") var concurrency: Int?
    @Option(help: "Give up after this many seconds.") var timeoutS = 300.0

    func validate() throws {
        if let metric, !Self.metrics.contains(metric) { throw ValidationError("--metric must be one of \(Self.metrics.joined(separator: ", ")).") }
        guard n > 0, batch > 0, nSingle > 0, latencyJobs > 0, latencyGapMs >= 0, settleS >= 0 else {
            throw ValidationError("--n, --batch, --n-single and --latency-jobs must be positive.")
        }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be positive.") }
        if readyProducer, coldProducer { throw ValidationError("--ready-producer and --cold-producer contradict each other; give one.") }
    }

    func run() async throws {
        var logger = Logger(label: "meridian.bench")
        logger.logLevel = .warning
        if let metric, let dbUrl {
            let settings = try ConnectionSettings(url: dbUrl)
            try await measure(metric, settings: settings, url: dbUrl, logger: logger)
            return
        }
        let server: ConnectionSettings = if let dbUrl { try ConnectionSettings(url: dbUrl) } else { try await database.connect() }
        for metric in metric.map({ [$0] }) ?? Self.metrics {
            let name = "meridian_bench_\(getpid())_\(metric)"
            // A failure propagates after the drop: a missing figure must not look like a successful run.
            try await ScratchDatabase.with(name, on: server, replacing: true, logger: logger) { scratch in
                do {
                    try await measure(metric, settings: scratch, url: scratch.url, logger: logger)
                } catch {
                    BenchQueueSupport.log("\(metric) failed: \(error)")
                    throw error
                }
            }
        }
    }

    private func measure(_ metric: String, settings: ConnectionSettings, url: String, logger: Logger) async throws {
        try await Migrator.bundled().migrate(settings, logger: logger)
        let store = QueueStore(logger: logger)
        try await withPostgresClient(settings, logger: logger) { client in
            switch metric {
            case "enqueue": try await measureEnqueue(store, client)
            case "enqueue_single": try await measureEnqueueSingle(store, client)
            case "drain": try await measureDrain(store, client, url: url)
            default: try await measureLatency(store, client, url: url)
            }
        }
    }

    private func jobs(_ range: Range<Int>) -> [NewJob] {
        range.map { NewJob(kind: BenchQueueSupport.noop, payload: JobPayload(json: "{\"seq\": \($0)}")) }
    }

    private func enqueueAll(_ store: QueueStore, _ client: PostgresClient) async throws {
        for start in stride(from: 0, to: n, by: batch) {
            _ = try await store.enqueue(jobs(start..<min(n, start + batch)), on: client)
        }
    }

    private func count(_ client: PostgresClient) async throws -> Int {
        Int(try await client.query("SELECT count(*) FROM queue_jobs").collect()[0].decode(Int64.self))
    }

    private func measureEnqueue(_ store: QueueStore, _ client: PostgresClient) async throws {
        let clock = ContinuousClock()
        let elapsed = try await clock.measure { try await enqueueAll(store, client) }
        let stored = try await count(client)
        guard stored == n else { throw BenchFailure("expected \(n) stored jobs, found \(stored)") }
        let seconds = elapsed.seconds
        BenchQueueSupport.emit(system: systemName, metric: "enqueue", value: Double(n) / seconds, unit: "jobs/s", n: n,
                               config: ["api": "QueueStore.enqueue([NewJob]) (one INSERT … SELECT FROM unnest per chunk)", "batch": batch, "seconds": seconds])
    }

    private func measureEnqueueSingle(_ store: QueueStore, _ client: PostgresClient) async throws {
        let count = min(n, nSingle)
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            for seq in 0..<count { try await store.enqueue(jobs(seq..<seq + 1)[0], on: client) }
        }
        let stored = try await self.count(client)
        guard stored == count else { throw BenchFailure("expected \(count) stored jobs, found \(stored)") }
        BenchQueueSupport.emit(system: systemName, metric: "enqueue_single", value: Double(count) / elapsed.seconds, unit: "jobs/s", n: count,
                               config: ["api": "QueueStore.enqueue(NewJob) on the pooled client (one transaction each)", "seconds": elapsed.seconds])
    }

    private func workerConfig() -> [String: Any] {
        [
            "concurrency": concurrency ?? QueueWorkerConfiguration.defaultConcurrency,
            "claim_batch": QueueWorkerConfiguration().claimBatchSize,
            "acks": "batched (2 ms or 2000), one DELETE…INSERT INTO history per batch",
            "wakeup": "LISTEN/NOTIFY + 1 s poll",
        ]
    }

    private func measureDrain(_ store: QueueStore, _ client: PostgresClient, url: String) async throws {
        try await enqueueAll(store, client)
        try await client.query("VACUUM ANALYZE queue_jobs")
        _ = try? await client.query("CHECKPOINT")
        let worker = try WorkerProcess(url: url, metric: "drain", expected: n, concurrency: concurrency, timeout: timeoutS)
        defer { worker.stop() }
        try worker.waitFor("READY", timeout: 120)
        let result = try worker.result(timeout: timeoutS + 60)
        let pending = try await count(client)
        guard result.distinct == n, pending == 0 else {
            throw BenchFailure("drain incomplete: \(result.distinct) distinct bodies of \(n), \(pending) jobs left")
        }
        let seconds = Double(result.done - result.start) / 1e6
        BenchQueueSupport.emit(
            system: systemName, metric: "drain", value: Double(n) / seconds, unit: "jobs/s", n: n, config: workerConfig(),
            detail: [
                "seconds": seconds,
                "first_job_after_ms": Double(result.first - result.start) / 1e3,
                "last_body_after_s": Double(result.last - result.start) / 1e6,
                "ack_tail_ms": Double(result.done - result.last) / 1e3,
                "jobs_s_after_first_job": Double(n) / (Double(result.done - result.first) / 1e6),
                "body_runs": result.count,
            ]
        )
    }

    private func measureLatency(_ store: QueueStore, _ client: PostgresClient, url: String) async throws {
        _ = try? await client.query("CHECKPOINT")
        // Cold by default, as every peer of the side-by-side harness starts its producer; readied
        // only on request, and then reported under other metric names.
        if readyProducer { try await store.prepareEnqueue(on: client) }
        let worker = try WorkerProcess(url: url, metric: "latency", expected: latencyJobs, concurrency: concurrency, timeout: timeoutS)
        defer { worker.stop() }
        try worker.waitFor("READY", timeout: 120)
        try await Task.sleep(for: .milliseconds(Int64(settleS * 1000)))
        let gap = Int64(latencyGapMs * 1000)
        let origin = BenchQueueSupport.wallMicroseconds() + 50_000
        for seq in 0..<latencyJobs {
            let delay = origin + Int64(seq) * gap - BenchQueueSupport.wallMicroseconds()
            if delay > 0 { try await Task.sleep(for: .microseconds(delay)) }
            let enqueuedAt = BenchQueueSupport.wallMicroseconds()
            try await store.enqueue(NewJob(kind: BenchQueueSupport.noop, payload: JobPayload(json: "{\"seq\": \(seq), \"t\": \(enqueuedAt)}")), on: client)
        }
        let result = try worker.result(timeout: 120)
        let latencies = result.latenciesMs.sorted()
        guard latencies.count == latencyJobs else {
            throw BenchFailure("got \(latencies.count) latencies, expected \(latencyJobs)")
        }
        var config = workerConfig()
        config["gap_ms"] = latencyGapMs
        config["settle_s"] = settleS
        config["producer"] = readyProducer ? "readied (QueueStore.prepareEnqueue)" : "cold (first enqueue readies the connection), as the peers'"
        // Which jobs made the tail: the index in enqueue order tells a cold start (0) from noise.
        let slowest = result.latenciesMs.enumerated().sorted { $0.element > $1.element }.prefix(3).map { [$0.offset, $0.element] as [Any] }
        for p in [50.0, 95.0, 99.0] {
            let detail: [String: Any] = switch p {
            case 50: ["min_ms": latencies[0], "max_ms": latencies[latencies.count - 1], "mean_ms": latencies.reduce(0, +) / Double(latencies.count)]
            case 99: ["slowest_jobs_index_ms": slowest]
            default: [:]
            }
            BenchQueueSupport.emit(system: systemName, metric: "latency_\(readyProducer ? "readied_" : "")p\(Int(p))", value: latencies.percentile(p),
                                   unit: "ms", n: latencies.count, config: config, detail: detail)
        }
    }
}
