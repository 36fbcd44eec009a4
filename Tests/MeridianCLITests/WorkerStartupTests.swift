import Foundation
import Logging
import MeridianPostgres
import MeridianQueue
import MeridianTestSupport
import PostgresNIO
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 16: a worker started while the database shuts down waits and retries with backoff
/// instead of exiting ("the database system is shutting down"), and serves the queue once the
/// database is back. On a private cluster of its own, since the test shuts its server down.
@Suite(.serialized) struct WorkerStartupTests {
    @Test func aWorkerStartedWhileTheDatabaseShutsDownWaitsAndThenServes() async throws {
        let directory = "/tmp/meridian-worker-\(getpid())-\(UUID().uuidString.prefix(8))"
        let cluster = EmbeddedCluster(configuration: .init(directory: directory), binaries: try ServerBinaries.locate())
        let logger = Logger(label: "meridian.tests")
        var started: ChildProcess?
        defer {
            if let started, Self.isRunning(started.pid) { started.send(SIGKILL) }
            try? cluster.destroy(logger: logger)
            try? FileManager.default.removeItem(atPath: directory)
        }
        let created = try await MeridianBinary.run(["db", "start", "--data-dir", directory])
        try #require(created.status == 0, "\(created.standardError)")
        let settings = cluster.connection
        let postmaster = try #require(Self.postmaster(directory))

        // A session of ours keeps a smart shutdown (SIGTERM to the postmaster) from finishing:
        // meanwhile the server refuses new connections, "the database system is shutting down".
        let worker = try await withPostgresConnection(settings, logger: logger) { _ in
            #expect(kill(postmaster, SIGTERM) == 0)
            try await eventually("the server to refuse new connections") {
                do {
                    try await withPostgresConnection(settings, logger: logger) { _ in }
                    return false
                } catch {
                    return "\(error)".contains("shutting down")
                }
            }
            let worker = try MeridianBinary.start(
                ["worker", "--database-url", settings.url, "--queue", "default=2", "--poll-ms", "200"], captureOutput: true
            )
            started = worker
            // Several attempts (0.5 s, 1 s, 2 s apart) while the server is still shutting down.
            try await Task.sleep(for: .seconds(4))
            #expect(Self.isRunning(worker.pid), "the worker gave up while the database shut down")
            return worker
        }
        let gone = try await eventually("the server to finish shutting down") { !Self.isRunning(postmaster) }
        if !gone { print((try? String(contentsOfFile: directory + "/server.log", encoding: .utf8))?.suffix(3_000) ?? "") }
        let restarted = try await MeridianBinary.run(["db", "start", "--data-dir", directory])
        try #require(restarted.status == 0, "\(restarted.standardError)")

        try await withPostgresClient(settings, logger: logger) { client in
            let store = QueueStore(logger: logger)
            let id = try await store.enqueue(NewJob(kind: "noop"), on: client).id
            try await eventually("the worker to run the job once the database is back", within: 60) {
                try await store.job(id, on: client)?.state == .completed
            }
        }
        worker.send(SIGTERM)
        let ended = await MeridianBinary.wait(for: worker, atMost: .seconds(60))
        #expect(ended?.status == 0, "\(ended?.errorOutput ?? "the worker did not stop")")
        let log = (ended?.errorOutput ?? "") + (ended?.output ?? "")
        #expect(log.contains("the database is unavailable; retrying") && log.contains("shutting down"), "\(log.prefix(2_000))")
    }

    private static func postmaster(_ directory: String) -> pid_t? {
        (try? String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8))?
            .split(separator: "\n").first.flatMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Whether `pid` runs (a zombie, or a child exited and not yet reaped, does not).
    private static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return false
        }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
