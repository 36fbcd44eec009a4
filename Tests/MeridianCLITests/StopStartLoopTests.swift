import Foundation
import Logging
import MeridianPostgres
import MeridianTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 16, "never hang": commands run one after another while the private server is stopped
/// (fast shutdown, as `pg_ctl stop -m fast`) and started again beside them. Every run must end
/// by itself — with its answer, or exit 69 and one line — never hang.
///
/// `swift test` runs a short setting (12 cycles, about 20 s); `MERIDIAN_STOP_START_CYCLES` sets
/// another (`scripts/stop-start-loop.sh` runs the same loop from the shell, with stacks of a hung run).
@Suite("commands while the server is stopped and started", .serialized)
struct StopStartLoopTests {
    /// Far above what a run takes even when it waits for a restart (the connect timeout, 10 s,
    /// twice over), far below "for ever".
    static let limit: Duration = .seconds(60)

    @Test("`kb list` over and over while the server stops and starts: each run ends, with its list or exit 69 and one line")
    func commandsEndThroughRestarts() async throws {
        let cycles = Int(ProcessInfo.processInfo.environment["MERIDIAN_STOP_START_CYCLES"] ?? "") ?? 12
        try await withScratchCluster { directory in
            let started = try await MeridianBinary.run(["db", "start", "--data-dir", directory])
            try #require(started.status == 0, "\(started.standardError)")
            let stopping = Stopping()
            async let runs = Self.runCommands(directory, until: stopping)
            for _ in 0..<cycles {
                try await Task.sleep(for: .milliseconds(Int.random(in: 100...600)))
                await Self.stopFast(directory)
                try await Task.sleep(for: .milliseconds(Int.random(in: 50...400)))
                _ = try await MeridianBinary.run(["db", "start", "--data-dir", directory])
            }
            stopping.stop()
            let outcomes = await runs

            let hung = outcomes.filter { $0.termination == nil }
            let odd = outcomes.compactMap(\.termination).filter { termination in
                let lines = termination.errorOutput.split(separator: "\n")
                switch termination.status {
                case 0: return false
                case 69: return !(lines.count == 1 && lines[0].hasPrefix("meridian: error: "))
                default: return true
                }
            }
            print("stop-start loop: \(cycles) cycles, \(outcomes.count) runs: \(outcomes.filter { $0.termination?.status == 0 }.count) ok, "
                  + "\(outcomes.filter { $0.termination?.status == 69 }.count) exit 69, \(hung.count) hung")
            #expect(hung.isEmpty, "\(hung.count) run(s) still going after \(Self.limit) (killed)")
            #expect(odd.isEmpty, "runs that ended otherwise than 0, or 69 with one line: \(odd.prefix(3).map { "\($0.status): \($0.errorOutput)" })")
            #expect(outcomes.count >= cycles, "the loop ran \(outcomes.count) commands in \(cycles) cycles")
            #expect(outcomes.contains { $0.termination?.status == 0 }, "no run succeeded")
        }
    }

    /// One run of the command: its termination, or `nil` when it was still going at ``limit``.
    struct Outcome: Sendable {
        var termination: ChildProcess.Termination?
    }

    /// Tells the command loop to stop after its current run.
    final class Stopping: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        func stop() { lock.withLock { stopped = true } }
        var isStopped: Bool { lock.withLock { stopped } }
    }

    private static func runCommands(_ directory: String, until stopping: Stopping) async -> [Outcome] {
        var outcomes: [Outcome] = []
        while !stopping.isStopped {
            guard let child = try? MeridianBinary.start(["kb", "list", "--data-dir", directory], captureOutput: true) else { break }
            outcomes.append(Outcome(termination: await MeridianBinary.wait(for: child, atMost: limit)))
        }
        return outcomes
    }

    /// A fast shutdown of the cluster's server (SIGINT to the postmaster, as `pg_ctl stop -m
    /// fast` sends), waited for; no lock taken, so it lands wherever the commands are.
    private static func stopFast(_ directory: String) async {
        guard let text = try? String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8),
              let pid = text.split(separator: "\n").first.flatMap({ pid_t($0.trimmingCharacters(in: .whitespaces)) }),
              kill(pid, SIGINT) == 0
        else { return }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, FileManager.default.fileExists(atPath: "/proc/\(pid)") {
            let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?
                .split(separator: ")").last?.trimmingCharacters(in: .whitespaces).first
            if state == "Z" { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// A fresh cluster folder under /tmp, stopped and removed afterwards.
    private func withScratchCluster(_ body: (String) async throws -> Void) async throws {
        let directory = "/tmp/meridian-loop-\(getpid())-\(UUID().uuidString.prefix(8))"
        defer {
            if let binaries = try? ServerBinaries.locate() {
                try? EmbeddedCluster(configuration: .init(directory: directory), binaries: binaries)
                    .destroy(logger: .init(label: "meridian.tests"))
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
        try await body(directory)
    }
}
