import Foundation
import MeridianPostgres
import MeridianQueue
import MeridianTestSupport
import Testing

/// One line of a `diagnostic.record` job's log: `start|end ID ATTEMPT TOKEN PID`.
struct RecordedRun: Hashable {
    var event: String
    var id: JobID
    var attempt: Int32
    var token: LeaseToken
    var pid: Int32
}

/// A temporary folder for `meridian worker --diagnostics-dir`, with its runs log.
struct DiagnosticsFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "meridian-queue-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var runs: [RecordedRun] {
        let text = (try? String(contentsOfFile: path + "/runs.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 5, let id = Int64(fields[1]), let attempt = Int32(fields[2]),
                  let token = Int64(fields[3]), let pid = Int32(fields[4]) else { return nil }
            return RecordedRun(event: String(fields[0]), id: JobID(id), attempt: attempt, token: LeaseToken(token), pid: pid)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A `diagnostic.record` job.
func diagnosticJob(sleepMs: Int = 0, firstAttemptSleepMs: Int? = nil, failAttempts: Int = 0, maxAttempts: Int32 = 20) -> NewJob {
    var fields = ["\"sleep_ms\": \(sleepMs)", "\"fail_attempts\": \(failAttempts)"]
    if let firstAttemptSleepMs { fields.append("\"first_attempt_sleep_ms\": \(firstAttemptSleepMs)") }
    return NewJob(kind: "diagnostic.record", payload: JobPayload(json: "{" + fields.joined(separator: ", ") + "}"), maxAttempts: maxAttempts)
}

/// Starts `meridian worker` on the test database with short timings.
func startWorker(_ database: TestDatabase, diagnostics: DiagnosticsFolder, extra: [String] = []) throws -> ChildProcess {
    try MeridianBinary.start(
        ["worker", "--database-url", database.url, "--diagnostics-dir", diagnostics.path,
         "--poll-ms", "200", "--rescue-ms", "200", "--lease-ms", "1500"] + extra
    )
}

/// Waits for a child to end, at most `seconds`; SIGKILLs it and records an issue if it does not.
func waitForExit(_ child: ChildProcess, within seconds: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) async -> Int32 {
    let result = await MeridianBinary.wait(for: child, atMost: .seconds(seconds))?.status
    guard let result else {
        Issue.record("the worker did not exit within \(seconds) s", sourceLocation: sourceLocation)
        return -1
    }
    return result
}
