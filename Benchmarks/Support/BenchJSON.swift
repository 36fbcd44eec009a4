import Foundation

/// A benchmark's figures as one compact JSON object on one line (sorted snake_case keys),
/// the form the docs and the peers harness read.
enum BenchJSON {
    static func line(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
