import Foundation

/// The key rule of Meridian's wire JSON (the API's bodies, the CLI's `--json`), in both
/// directions, so whatever the server encodes the CLI decodes back into the same value.
///
/// Encoding is Foundation's `convertToSnakeCase` (`exchangeID` → `exchange_id`). Its own
/// inverse, `convertFromSnakeCase`, does not give the names back: it reads `exchange_id` as
/// `exchangeId`. Meridian spells the acronym in upper case (`exchangeID`, `instanceID`), so
/// ``camelCase(_:)`` turns a segment `id` into `ID`.
///
/// A few file formats spell their keys snake_case in their own `CodingKeys` (a request's
/// `development_goal`, a budget line's `amount_minor`); encoding leaves those as they are, and no
/// key rule can tell them from converted ones when decoding. Such types read ``isConverting``
/// from their decoder and look the key up as ``camelCase(_:)`` makes it (``FileKey``).
public enum SnakeCaseKeys {
    /// `exchange_id` → `exchangeID`, `minor_units` → `minorUnits`; a key without an inner
    /// underscore is left as it is (leading and trailing underscores are kept).
    public static func camelCase(_ key: String) -> String {
        guard key.contains("_") else { return key }
        let core = key.drop(while: { $0 == "_" })
        let leading = key.prefix(key.count - core.count)
        var trimmed = Substring(core)
        var trailing = ""
        while trimmed.hasSuffix("_") {
            trimmed = trimmed.dropLast()
            trailing += "_"
        }
        let words = trimmed.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = words.first else { return key }
        let rest = words.dropFirst().map { word -> String in
            word == "id" ? "ID" : word.prefix(1).uppercased() + word.dropFirst()
        }
        return String(leading) + String(first) + rest.joined() + trailing
    }

    /// Set to `true` in the `userInfo` of a decoder whose key strategy is ``camelCase(_:)``.
    public static let userInfoKey = CodingUserInfoKey(rawValue: "meridian.snakeCaseKeys")!

    /// Whether `decoder` turns snake_case keys into camelCase before looking them up.
    public static func isConverting(_ decoder: any Decoder) -> Bool {
        decoder.userInfo[userInfoKey] as? Bool == true
    }
}

/// A key of a file format that spells its keys snake_case itself, looked up as the decoder
/// sees it: as written in a file, or converted by Meridian's wire decoder.
public struct FileKey: CodingKey {
    public var stringValue: String
    public var intValue: Int? { nil }

    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }

    /// The lookup of `key` in a container of `decoder`.
    public static func of(_ key: some CodingKey, in decoder: any Decoder) -> FileKey {
        FileKey(stringValue: SnakeCaseKeys.isConverting(decoder) ? SnakeCaseKeys.camelCase(key.stringValue) : key.stringValue)
    }
}

extension Decoder {
    /// A container for a type whose `CodingKeys` spell snake_case: decode each field with
    /// `try container.decode(T.self, forKey: key(.field))`.
    public func fileContainer<Key: CodingKey>(_ keys: Key.Type) throws -> (container: KeyedDecodingContainer<FileKey>, key: (Key) -> FileKey) {
        let decoder = self
        return (try container(keyedBy: FileKey.self), { FileKey.of($0, in: decoder) })
    }
}
