import ArgumentParser
import Foundation
import Logging
import MeridianPostgres
import MeridianQueue
import PostgresNIO
import ServiceLifecycle
import UnixSignals
import Synchronization

/// `meridian-bench queue-worker`: the worker process of `bench queue`'s drain and latency
/// figures. It runs the ordinary ``QueueWorker`` with a `noop` handler that notes which job
/// ran when, and writes `READY` and then `RESULT {json}` lines to its report file.
struct BenchQueueWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue-worker",
        abstract: "The worker process that `meridian-bench queue` starts (not for direct use).",
        discussion: "Example:\n  meridian-bench queue-worker --db-url postgresql://postgres@127.0.0.1:55440/b --metric drain --expected 20000 --report-file /tmp/r"
    )

    @Option var dbUrl: String
    @Option var metric: String
    @Option var expected: Int
    @Option var concurrency: Int?
    @Option var reportFile: String
    @Option var timeoutS: Double = 300

    func run() async throws {
        let settings = try ConnectionSettings(url: dbUrl)
        var logger = Logger(label: "meridian.bench.worker")
        logger.logLevel = .warning
        let tracker = Tracker(expected: expected)
        var handlers = JobHandlers()
        handlers.register(BenchQueueSupport.noop) { job, _ in
            let now = BenchQueueSupport.wallMicroseconds()
            let seq = BenchQueueSupport.integerField("seq", in: job.payload.json) ?? -1
            let enqueuedAt = BenchQueueSupport.integerField("t", in: job.payload.json)
            tracker.hit(seq: seq, enqueuedAt: enqueuedAt, now: now)
        }
        var configuration = QueueWorkerConfiguration()
        if let concurrency { configuration.queues = [.init(.default, concurrency: concurrency)] }
        let queueConcurrency = configuration.queues[0].concurrency
        try await withPostgresClient(settings, logger: logger) { client in
            let worker = QueueWorker(client: client, listenSettings: settings, handlers: handlers, configuration: configuration, logger: logger)
            let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], gracefulShutdownSignals: [.sigterm], logger: logger))
            try report("READY")
            let start = BenchQueueSupport.wallMicroseconds()
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                tasks.addTask {
                    var result: [String: Any] = ["t_start": start, "concurrency": queueConcurrency]
                    let deadline = Date().addingTimeInterval(timeoutS)
                    while !tracker.isDone && Date() < deadline { try await Task.sleep(for: .milliseconds(1)) }
                    if tracker.isDone {
                        if metric == "drain" {
                            // The harness's rule: done when the database shows every job finished.
                            while try await client.query("SELECT count(*) FROM queue_jobs").collect()[0].decode(Int64.self) > 0 {
                                try await Task.sleep(for: .milliseconds(2))
                            }
                            result["t_done"] = BenchQueueSupport.wallMicroseconds()
                        }
                    } else {
                        result["error"] = "timeout: only \(tracker.snapshot.count) of \(expected) job bodies ran"
                    }
                    let state = tracker.snapshot
                    result["t_first"] = state.first ?? 0
                    result["t_last"] = state.last ?? 0
                    result["count"] = state.count
                    result["distinct"] = state.distinct
                    result["lat_ms"] = state.latenciesMs
                    if result["t_done"] == nil { result["t_done"] = state.last ?? 0 }
                    let data = try JSONSerialization.data(withJSONObject: result)
                    try report("RESULT " + String(decoding: data, as: UTF8.self))
                    await group.triggerGracefulShutdown()
                }
                try await tasks.waitForAll()
            }
        }
    }

    /// Appends a line to the report file in one write.
    private func report(_ line: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: reportFile))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Which job bodies ran, and when.
    final class Tracker: Sendable {
        struct State {
            var count = 0
            var distinct = 0
            var seen: [Bool]
            var first: Int64?
            var last: Int64?
            var latenciesMs: [Double] = []
        }

        private let state: Mutex<State>
        private let expected: Int
        private let done = Atomic<Bool>(false)

        init(expected: Int) {
            self.expected = expected
            self.state = Mutex(State(seen: Array(repeating: false, count: expected)))
        }

        func hit(seq: Int64, enqueuedAt: Int64?, now: Int64) {
            let finished = state.withLock { state -> Bool in
                state.count += 1
                if seq >= 0 && seq < Int64(state.seen.count) && !state.seen[Int(seq)] {
                    state.seen[Int(seq)] = true
                    state.distinct += 1
                }
                if state.first == nil { state.first = now }
                if let enqueuedAt { state.latenciesMs.append(Double(now - enqueuedAt) / 1_000) }
                if state.count >= expected && state.last == nil { state.last = now }
                return state.count >= expected
            }
            if finished { done.store(true, ordering: .relaxed) }
        }

        var isDone: Bool { done.load(ordering: .relaxed) }

        var snapshot: (count: Int, distinct: Int, first: Int64?, last: Int64?, latenciesMs: [Double]) {
            state.withLock { ($0.count, $0.distinct, $0.first, $0.last, $0.latenciesMs) }
        }
    }
}
