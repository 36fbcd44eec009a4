import Foundation
import MeridianPostgres

#if canImport(Glibc)
import Glibc
#endif

/// The `meridian-bench queue-worker` child of a drain or latency measurement, talked to
/// through a report file it appends `READY` and `RESULT {json}` lines to.
final class WorkerProcess {
    /// What the worker measured (wall-clock microseconds).
    struct Result {
        var start: Int64
        var first: Int64
        var last: Int64
        var done: Int64
        var count: Int
        var distinct: Int
        var latenciesMs: [Double]
    }

    private let child: ChildProcess
    private let reportFile: String

    init(url: String, metric: String, expected: Int, concurrency: Int?, timeout: Double) throws {
        reportFile = NSTemporaryDirectory() + "meridian-bench-\(UUID().uuidString).report"
        guard FileManager.default.createFile(atPath: reportFile, contents: nil) else {
            throw BenchFailure("cannot create the worker's report file \(reportFile)")
        }
        var arguments = ["queue-worker", "--db-url", url, "--metric", metric, "--expected", "\(expected)",
                         "--report-file", reportFile, "--timeout-s", "\(timeout)"]
        if let concurrency { arguments += ["--concurrency", "\(concurrency)"] }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        child = try ChildProcess.spawn(executable, arguments, captureOutput: false)
    }

    /// Waits until the report has a line starting with `prefix`, and returns it.
    @discardableResult
    func waitFor(_ prefix: String, timeout: Double) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: reportFile, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) { return String(line) }
            var status: Int32 = 0
            if waitpid(child.pid, &status, WNOHANG) == child.pid {
                throw BenchFailure("the bench worker exited (status \(status)) before reporting \(prefix)")
            }
            usleep(1_000)
        }
        throw BenchFailure("the bench worker did not report \(prefix) within \(Int(timeout)) s")
    }

    func result(timeout: Double) throws -> Result {
        let line = try waitFor("RESULT ", timeout: timeout)
        let json = try JSONSerialization.jsonObject(with: Data(line.dropFirst("RESULT ".count).utf8)) as? [String: Any] ?? [:]
        if let error = json["error"] as? String { throw BenchFailure(error) }
        func integer(_ key: String) -> Int64 { (json[key] as? NSNumber)?.int64Value ?? 0 }
        return Result(
            start: integer("t_start"), first: integer("t_first"), last: integer("t_last"), done: integer("t_done"),
            count: Int(integer("count")), distinct: Int(integer("distinct")),
            latenciesMs: (json["lat_ms"] as? [NSNumber])?.map(\.doubleValue) ?? []
        )
    }

    /// Asks the worker to stop (it also stops itself after reporting) and reaps it.
    func stop() {
        child.send(SIGTERM)
        var status: Int32 = 0
        for _ in 0..<5_000 {
            if waitpid(child.pid, &status, WNOHANG) != 0 { break }
            usleep(1_000)
        }
        child.send(SIGKILL)
        _ = waitpid(child.pid, &status, WNOHANG)
        unlink(reportFile)
    }
}
