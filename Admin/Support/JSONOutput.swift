import Foundation
import MeridianService

/// The `--json` form of command output — the service's one JSON form (``ServiceJSON``): sorted
/// keys, ISO 8601 dates, ids in lower case (as the tables print them and as commands accept
/// them) — one document per call.
enum JSONOutput {
    static func string(_ value: some Encodable) throws -> String {
        try encode(value, formatting: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    }

    /// One compact JSON object on one line.
    static func line(_ value: some Encodable) throws -> String {
        try encode(value, formatting: [.sortedKeys, .withoutEscapingSlashes])
    }

    private static func encode(_ value: some Encodable, formatting: JSONEncoder.OutputFormatting) throws -> String {
        String(decoding: try ServiceJSON.encode(value, pretty: formatting.contains(.prettyPrinted)), as: UTF8.self)
    }
}
