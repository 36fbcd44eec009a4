import Foundation
import Logging
import MeridianQueue

#if canImport(Glibc)
import Glibc
#endif

/// The queue's own job kinds that `meridian worker` runs beside the engine's (which the service
/// adds: timers and every domain's tasks). Jobs of a kind no worker registers wait for one that does.
enum BuiltinHandlers {
    /// A job that does nothing: the benchmark's unit of work, and a smoke test.
    static let noop: JobKind = "noop"
    /// A diagnostic job that records its runs in a file (only with `--diagnostics-dir`):
    /// the multi-process tests check with it which job ran where and how often.
    static let diagnosticRecord: JobKind = "diagnostic.record"

    static func make(diagnosticsDirectory: String?) -> JobHandlers {
        var handlers = JobHandlers()
        handlers.register(noop) { _, _ in }
        if let diagnosticsDirectory {
            handlers.register(diagnosticRecord, DiagnosticRecordHandler(path: diagnosticsDirectory + "/runs.log"))
        }
        return handlers
    }
}

/// Appends `start ID ATTEMPT TOKEN PID` when a body starts and `end …` when it returns to a
/// file, sleeping in between as the payload asks:
/// `{"sleep_ms": 100, "first_attempt_sleep_ms": 60000, "fail_attempts": 2}`.
///
/// The file, not the queue's bookkeeping, is what tests check "ran exactly once" against. Each
/// line is one `write` to a file opened with `O_APPEND`, so lines of several processes never
/// interleave.
struct DiagnosticRecordHandler: JobHandler {
    let path: String

    struct Payload: Decodable {
        var sleep_ms: Int?
        var first_attempt_sleep_ms: Int?
        var fail_attempts: Int?
    }

    func handle(_ job: ClaimedJob, logger: Logger) async throws {
        let payload = (try? job.payload.decode(Payload.self)) ?? Payload()
        try record("start", job)
        let sleep = job.attempt == 1 ? (payload.first_attempt_sleep_ms ?? payload.sleep_ms ?? 0) : (payload.sleep_ms ?? 0)
        if sleep > 0 { try await Task.sleep(for: .milliseconds(sleep)) }
        if Int(job.attempt) <= payload.fail_attempts ?? 0 {
            struct DiagnosticFailure: Error, CustomStringConvertible {
                var attempt: Int32
                var description: String { "diagnostic failure on attempt \(attempt)" }
            }
            throw DiagnosticFailure(attempt: job.attempt)
        }
        try record("end", job)
    }

    private func record(_ event: String, _ job: ClaimedJob) throws {
        let line = "\(event) \(job.id) \(job.attempt) \(job.lease.token) \(getpid())\n"
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw CLIFailure("cannot open \(path): \(String(cString: strerror(errno)))", status: .failure) }
        defer { close(descriptor) }
        let written = line.withCString { write(descriptor, $0, strlen($0)) }
        guard written == line.utf8.count else { throw CLIFailure("cannot write to \(path)", status: .failure) }
    }
}
