import Foundation
import Logging
import MeridianHTTP
import Synchronization
import Testing

/// `meridian serve`'s log handler writes the very lines `StreamLogHandler` writes, though it
/// formats metadata only when a line is written.
@Suite struct ServerLogHandlerTests {
    final class Lines: TextOutputStream, @unchecked Sendable {
        let text = Mutex("")
        func write(_ string: String) { text.withLock { $0 += string } }
        /// Each line less its timestamp (the two handlers may write in different seconds).
        var withoutTimestamps: [String] {
            text.withLock { $0 }.split(separator: "\n").map { String($0.drop { $0 != " " }) }
        }
    }

    @Test func sameLinesAsStreamLogHandler() {
        let ours = Lines(), theirs = Lines()
        var loggers = [Logger(label: "meridian") { ServerLogHandler(label: $0, output: ours) },
                       Logger(label: "meridian") { StreamLogHandler(label: $0, stream: theirs) }]
        for index in loggers.indices {
            loggers[index].logLevel = .info
            loggers[index][metadataKey: "hb.request.id"] = "42"
            loggers[index][metadataKey: "user.handle"] = "amani"
            loggers[index].info("GET /api/v1/exchanges", metadata: ["hb.status": "200", "user.handle": "explicit wins"])
            loggers[index].notice("plain")
            loggers[index].debug("below the level: not written")
            loggers[index][metadataKey: "user.handle"] = nil
            loggers[index].error("failed", metadata: ["error": "boom"])
        }
        #expect(ours.withoutTimestamps.count == 3)
        #expect(ours.withoutTimestamps == theirs.withoutTimestamps)
    }
}
