import Foundation

/// The one JSON form of Meridian's answers, for the CLI's `--json` and the HTTP API alike:
/// snake_case keys, sorted, ISO 8601 dates, slashes unescaped.
public enum ServiceJSON {
    /// An encoder of that form; `pretty` for people, compact for the wire and for benchmark lines.
    public static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    /// The decoder of request bodies in that form.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
