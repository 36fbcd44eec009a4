import Foundation
import MeridianCodes

/// The one JSON form of Meridian's answers, for the CLI's `--json` and the HTTP API alike:
/// snake_case keys, sorted, ISO 8601 dates, slashes unescaped, ids in lower case.
public enum ServiceJSON {
    /// `value` in that form.
    public static func encode(_ value: some Encodable, pretty: Bool) throws -> Data {
        Data(lowercasingIDs(try encoder(pretty: pretty).encode(value)))
    }

    /// `value` in the compact form, the very bytes of `encode(value, pretty: false)`, written
    /// by ``WireJSONEncoder``, which is several times faster than Foundation's: for the hot
    /// answers of the HTTP API (one exchange's view).
    public static func wire(_ value: some Encodable) throws -> [UInt8] {
        lowercasingIDs(try WireJSONEncoder().encode(value))
    }

    /// An encoder of that form; `pretty` for people, compact for the wire and for benchmark lines.
    public static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    /// The decoder of that form — request bodies on the server, answers in the CLI — and the
    /// encoder's inverse: `exchange_id` is read back as `exchangeID` (``SnakeCaseKeys``), and
    /// types whose own keys are snake_case (a request, a budget line) still find them.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .custom { path in
            WireKey(SnakeCaseKeys.camelCase(path.last?.stringValue ?? ""))
        }
        decoder.userInfo[SnakeCaseKeys.userInfoKey] = true
        return decoder
    }

    private struct WireKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ value: String) { stringValue = value }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// `UUID` encodes itself in upper case and JSONEncoder has no strategy for it, so every
    /// JSON string that is exactly a UUID (`"3F2504E0-4F89-…"`) is lowered here, in the one
    /// place all JSON output passes through.
    static func lowercasingIDs(_ json: Data) -> [UInt8] { lowercasingIDs(Array(json)) }

    static func lowercasingIDs(_ json: [UInt8]) -> [UInt8] {
        var bytes = json
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
        return bytes
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
