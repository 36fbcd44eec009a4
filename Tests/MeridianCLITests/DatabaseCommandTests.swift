import Foundation
import Logging
import MeridianPostgres
import MeridianTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `meridian db …` run as a user would, each test with a private cluster folder of its own.
@Suite("meridian db", .serialized)
struct DatabaseCommandTests {
    @Test("start, status, url, stop and start again: the cluster is created once and reused")
    func lifecycle() async throws {
        try await withScratchCluster { directory in
            let before = try await meridian(["db", "status", "--json"], directory)
            #expect(before.status == 69)
            #expect(try statusField(before, "state") == "not created")

            let started = try await meridian(["db", "start"], directory)
            #expect(started.status == 0, "\(started.standardError)")
            #expect(started.standardOutput.contains("running: postgresql://meridian@/meridian?host=\(directory)/run"))

            let running = try await meridian(["db", "status", "--json"], directory)
            #expect(running.status == 0)
            #expect(try statusField(running, "state") == "running")

            let url = try await meridian(["db", "url"], directory)
            #expect(url.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "postgresql://meridian@/meridian?host=\(directory)/run&port=5432")

            #expect(try await meridian(["db", "stop"], directory).status == 0)
            let stopped = try await meridian(["db", "status", "--json"], directory)
            #expect(stopped.status == 69)
            #expect(try statusField(stopped, "state") == "stopped")

            let markerBefore = try FileManager.default.attributesOfItem(atPath: directory + "/data/meridian-ready")[.modificationDate] as? Date
            #expect(try await meridian(["db", "start"], directory).status == 0)
            let markerAfter = try FileManager.default.attributesOfItem(atPath: directory + "/data/meridian-ready")[.modificationDate] as? Date
            #expect(markerBefore == markerAfter, "restarting must reuse the cluster, not create it again")
        }
    }

    @Test("two `db start` at once on a new folder both succeed and leave one healthy cluster")
    func concurrentStarts() async throws {
        try await withScratchCluster { directory in
            async let first = meridian(["db", "start"], directory)
            async let second = meridian(["db", "start"], directory)
            let results = try await [first, second]
            for result in results { #expect(result.status == 0, "\(result.standardError)") }
            let status = try await meridian(["db", "status", "--json"], directory)
            #expect(status.status == 0)
            #expect(try statusField(status, "state") == "running")
        }
    }

    /// Where a `db start` on a new folder is when the test kills it, each told by what it has
    /// left on disk: initdb writing its scratch folder, the finished cluster renamed into
    /// `data/` (the server not yet started), `pg_ctl start` launching the server (it opened
    /// `server.log`; killing `meridian` then leaves that `pg_ctl` and its server running as
    /// orphans), the server started (migrations running).
    enum StartPhase: String, CaseIterable, CustomTestStringConvertible {
        case creating, starting, launching, migrating

        var testDescription: String { rawValue }

        func reached(_ directory: String) -> Bool {
            let files = FileManager.default
            switch self {
            case .creating:
                let names = (try? files.contentsOfDirectory(atPath: directory)) ?? []
                return names.contains { $0.hasPrefix("data.partial-") }
            case .starting: return files.fileExists(atPath: directory + "/data")
            case .launching: return files.fileExists(atPath: directory + "/server.log")
            case .migrating: return files.fileExists(atPath: directory + "/data/postmaster.pid")
            }
        }
    }

    @Test("a `db start` killed part-way is followed by one that succeeds", arguments: StartPhase.allCases)
    func killedMidStart(in phase: StartPhase) async throws {
        try await withScratchCluster { directory in
            let child = try MeridianBinary.start(["db", "start", "--data-dir", directory])
            // Kill on the progress signal, not after a guessed time.
            let deadline = ContinuousClock.now + .seconds(120)
            while !phase.reached(directory), ContinuousClock.now < deadline, Self.isRunning(child.pid) {
                try await Task.sleep(for: .milliseconds(2))
            }
            let wasRunning = Self.isRunning(child.pid)
            child.send(SIGKILL)
            let killed = await MeridianBinary.wait(for: child)
            #expect(phase.reached(directory), "`db start` never reached the \(phase) phase")
            #expect(wasRunning && killed.status == 128 + SIGKILL,
                    "the kill must land while `db start` is still at work (exit status \(killed.status))")

            // At once, while what the killed command started may still be running beside it.
            let again = try await meridian(["db", "start"], directory)
            #expect(again.status == 0, "\(again.standardError)")
            let status = try await meridian(["db", "status", "--json"], directory)
            #expect(try statusField(status, "state") == "running")
            #expect(status.status == 0, "migrations must be complete after the restart: \(status.standardOutput)")
        }
    }

    /// Whether our child `pid` still runs (an exited child not yet reaped is a zombie).
    private static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return kill(pid, 0) == 0
        }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    @Test("a crashed server (postmaster killed) is restarted by the next `db start`")
    func crashedServer() async throws {
        try await withScratchCluster { directory in
            #expect(try await meridian(["db", "start"], directory).status == 0)
            let pidLine = try String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8).split(separator: "\n").first
            let pid = try #require(pidLine.flatMap { Int32($0) })
            kill(pid, SIGKILL)
            try await Task.sleep(for: .milliseconds(500))
            let again = try await meridian(["db", "start"], directory)
            #expect(again.status == 0, "\(again.standardError)")
            #expect(try await meridian(["db", "status"], directory).status == 0)
        }
    }

    @Test("a running server whose socket file was deleted: a clear error saying to restart (db status too), and a restart heals it")
    func deletedSocket() async throws {
        try await withScratchCluster { directory in
            #expect(try await meridian(["db", "start"], directory).status == 0)
            try FileManager.default.removeItem(atPath: directory + "/run/.s.PGSQL.5432")
            let refused = try await meridian(["db", "migrate"], directory)
            #expect(refused.status == 69, "\(refused.standardError)")
            #expect(refused.standardError.contains("runs but its socket") && refused.standardError.contains("`meridian db stop` then `meridian db start`"))
            // `db status` says the same, not a connection error.
            let status = try await meridian(["db", "status"], directory)
            #expect(status.status == 69 && status.standardError.contains("runs but its socket"), "\(status.standardError)")
            #expect(try await meridian(["db", "stop"], directory).status == 0)
            #expect(try await meridian(["db", "start"], directory).status == 0)
            #expect(try await meridian(["db", "migrate"], directory).status == 0)
        }
    }

    @Test("after a restart, a postmaster.pid naming another live program is taken for stale")
    func reusedProcessID() async throws {
        try await withScratchCluster { directory in
            #expect(try await meridian(["db", "start"], directory).status == 0)
            #expect(try await meridian(["db", "stop"], directory).status == 0)
            // As after a power cut: the lock file remains and its id now belongs to this test.
            try "\(getpid())\n\(directory)/data\n".write(toFile: directory + "/data/postmaster.pid", atomically: true, encoding: .utf8)
            let status = try await meridian(["db", "status", "--json"], directory)
            #expect(try statusField(status, "state") == "stopped")
            let started = try await meridian(["db", "start"], directory)
            #expect(started.status == 0, "\(started.standardError)")
            #expect(try await meridian(["db", "status"], directory).status == 0)
        }
    }

    @Test("`db reset` refuses without --yes and changes nothing; with --yes it starts afresh")
    func reset() async throws {
        try await withScratchCluster { directory in
            #expect(try await meridian(["db", "start"], directory).status == 0)
            let refused = try await meridian(["db", "reset"], directory)
            #expect(refused.status == 64)
            #expect(refused.standardError.hasPrefix("meridian: error: "))
            #expect(refused.standardError.contains("--yes"))
            #expect(refused.standardError.split(separator: "\n").count == 1)
            #expect(try await meridian(["db", "status"], directory).status == 0)

            let confirmed = try await meridian(["db", "reset", "--yes"], directory)
            #expect(confirmed.status == 0, "\(confirmed.standardError)")
            #expect(try await meridian(["db", "status"], directory).status == 0)
        }
    }

    @Test("no server programs: one line that says what to install, exit 69")
    func missingBinaries() async throws {
        try await withScratchCluster { directory in
            let result = try await meridian(["db", "start"], directory, environment: ["MERIDIAN_PG_BINDIR": "/nonexistent/bin"])
            #expect(result.status == 69)
            #expect(result.standardError.contains("apt-get install postgresql"))
            #expect(result.standardError.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: directory + "/data"))
        }
    }

    @Test("a malformed database URL is a usage error naming the problem")
    func badURL() async throws {
        let result = try await MeridianBinary.run(["db", "status", "--database-url", "mysql://root@localhost/x"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("postgresql://"))
    }

    @Test("the cluster commands refuse to act on an external database")
    func clusterCommandsNeedTheEmbeddedCluster() async throws {
        try await TestDatabase.withFresh { database in
            let result = try await MeridianBinary.run(["db", "reset", "--yes", "--database-url", database.url])
            #expect(result.status == 64)
            #expect(result.standardError.contains("private cluster"))
        }
    }

    @Test("against a migrated external database, status is up to date and migrate has nothing to do")
    func externalDatabase() async throws {
        try await TestDatabase.withFresh { database in
            let status = try await MeridianBinary.run(["db", "status", "--json"], environment: ["MERIDIAN_DATABASE_URL": database.url])
            #expect(status.status == 0, "\(status.standardError)")
            #expect(try statusField(status, "kind") == "external")
            let migrate = try await MeridianBinary.run(["db", "migrate", "--database-url", database.url])
            #expect(migrate.status == 0)
            #expect(migrate.standardOutput.contains("0 applied now"))
        }
    }

    @Test("an empty external database is reported as behind, and `db migrate` brings it up to date")
    func externalDatabaseBehind() async throws {
        try await TestDatabase.withFresh(migrated: false) { database in
            let behind = try await MeridianBinary.run(["db", "status", "--database-url", database.url])
            #expect(behind.status == 75)
            #expect(behind.standardOutput.contains("meridian db migrate"))
            let migrate = try await MeridianBinary.run(["db", "migrate", "--database-url", database.url])
            #expect(migrate.status == 0, "\(migrate.standardError)")
            #expect(try await MeridianBinary.run(["db", "status", "--database-url", database.url]).status == 0)
        }
    }

    @Test("the demo runs in a database of its own on the private cluster: the user's knowledge base receives nothing")
    func demoKeepsToItself() async throws {
        try await withScratchCluster { directory in
            let files = FileManager.default.temporaryDirectory.appendingPathComponent("meridian-demo-own-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: files) }
            let demo = try await meridian(["demo", "--files-dir", files.path], directory)
            #expect(demo.status == 0, "\(demo.standardError)")
            #expect(demo.standardOutput.contains("/meridian_demo?") && demo.standardOutput.contains("the demo's own database"))
            #expect(demo.standardOutput.contains("--database meridian_demo"))
            let own = try await meridian(["kb", "list", "--json"], directory)
            #expect(own.status == 0, "\(own.standardError)")
            let ownList = try JSONSerialization.jsonObject(with: Data(own.standardOutput.utf8)) as? [Any]
            #expect(ownList?.isEmpty == true, "the user's database holds no demo experience")
            let demos = try await meridian(["kb", "list", "--json", "--database", "meridian_demo"], directory)
            let demoList = try #require(try JSONSerialization.jsonObject(with: Data(demos.standardOutput.utf8)) as? [[String: Any]])
            #expect(demoList.contains { ($0["self_reported"] as? Bool) == true }, "the demo's closed exchanges became self-reported experiences there")
        }
    }

    // MARK: Helpers

    private func meridian(_ arguments: [String], _ directory: String, environment: [String: String] = [:]) async throws -> MeridianBinary.Output {
        try await MeridianBinary.run(arguments + ["--data-dir", directory], environment: environment)
    }

    private func statusField(_ output: MeridianBinary.Output, _ key: String) throws -> String? {
        let object = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
        return object?[key] as? String
    }

    /// A fresh cluster folder under /tmp (reachable by the server user when tests run as
    /// root), stopped and removed afterwards.
    private func withScratchCluster(_ body: (String) async throws -> Void) async throws {
        let directory = "/tmp/meridian-cli-\(getpid())-\(UUID().uuidString.prefix(8))"
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
