import Foundation
import MeridianQueue

#if canImport(Glibc)
import Glibc
#endif

/// Shared pieces of `meridian-bench queue` and its worker process.
enum BenchQueueSupport {
    /// The kind of the measured no-op job: enqueued by the bench, run by its worker process.
    static let noop: JobKind = "noop"

    /// Wall-clock time (CLOCK_REALTIME) in microseconds, comparable across processes.
    static func wallMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }

    /// An integer field of a flat JSON object, read without a decoder (a job body's first
    /// microseconds matter to the latency figure). `{"t": 17, "seq": 5}` → `seq` = 5.
    static func integerField(_ name: String, in json: String) -> Int64? {
        let bytes = Array(json.utf8)
        let key = Array("\"\(name)\"".utf8)
        guard bytes.count > key.count else { return nil }
        var index = 0
        while index + key.count <= bytes.count {
            if bytes[index] == key[0] && Array(bytes[index..<index + key.count]) == key {
                var cursor = index + key.count
                while cursor < bytes.count && (bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: ":")) { cursor += 1 }
                var value: Int64 = 0
                var digits = 0
                while cursor < bytes.count, bytes[cursor] >= UInt8(ascii: "0"), bytes[cursor] <= UInt8(ascii: "9") {
                    value = value * 10 + Int64(bytes[cursor] - UInt8(ascii: "0"))
                    cursor += 1
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            index += 1
        }
        return nil
    }

    /// One result line on standard output, as the peers harness reads it.
    static func emit(system: String, metric: String, value: Double, unit: String, n: Int, config: [String: Any] = [:], detail: [String: Any] = [:]) {
        var record: [String: Any] = ["system": system, "metric": metric, "value": (value * 100).rounded() / 100, "unit": unit, "n": n]
        if !config.isEmpty { record["config"] = config }
        if !detail.isEmpty { record["detail"] = detail }
        if let data = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]) {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }

    /// A progress or diagnostic line on standard error.
    static func log(_ message: String) {
        FileHandle.standardError.write(Data("[bench queue] \(message)\n".utf8))
    }
}
