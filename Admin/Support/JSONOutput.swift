import Foundation

/// The `--json` form of command output: sorted keys, ISO 8601 dates, ids in lower case (as
/// the tables print them and as commands accept them), one document per call.
enum JSONOutput {
    static func string(_ value: some Encodable) throws -> String {
        try encode(value, formatting: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    }

    /// One compact JSON object on one line.
    static func line(_ value: some Encodable) throws -> String {
        try encode(value, formatting: [.sortedKeys, .withoutEscapingSlashes])
    }

    private static func encode(_ value: some Encodable, formatting: JSONEncoder.OutputFormatting) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return lowercasingIDs(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// `UUID` encodes itself in upper case and JSONEncoder has no strategy for it, so every
    /// JSON string that is exactly a UUID (`"3F2504E0-4F89-…"`) is lowered here, in the one
    /// place all `--json` output passes through.
    static func lowercasingIDs(_ json: String) -> String {
        var bytes = Array(json.utf8)
        let length = 36
        var index = 0
        while index + length + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "\""), bytes[index + length + 1] == UInt8(ascii: "\""),
               isUUID(bytes[(index + 1)...(index + length)]) {
                for position in (index + 1)...(index + length) where (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(bytes[position]) {
                    bytes[position] += 32
                }
                index += length + 2
            } else {
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// 8-4-4-4-12 hexadecimal digits.
    private static func isUUID(_ text: ArraySlice<UInt8>) -> Bool {
        for (offset, byte) in text.enumerated() {
            if [8, 13, 18, 23].contains(offset) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
                        || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) else { return false }
            }
        }
        return true
    }
}
