import Foundation
import Synchronization

/// Writes ``ServiceJSON``'s compact form — snake_case keys, sorted, ISO 8601 dates, slashes
/// unescaped — byte for byte as Foundation's `JSONEncoder` configured by
/// ``ServiceJSON/encoder(pretty:)`` does, only faster: each key's snake_case spelling is worked
/// out once per process instead of once per key written (Foundation converts every key every
/// time), and the tree it builds is plain enums and arrays. Encoding the exchange view was a
/// fifth of a busy server's time with Foundation's encoder (issue 13).
///
/// The rules it repeats are Foundation's: keys sorted by their UTF-8 bytes, a key written twice
/// keeps its last value, `Double`s as their `description` without a trailing `.0`, the
/// `convertToSnakeCase` spelling (asked of Foundation itself, then remembered), keys of
/// `[String: …]` dictionaries left as they are, `Date` in `.iso8601`, `Data` in base64, `URL`
/// as its absolute string, `Decimal` as its description. `ServiceJSONTests` compares its output
/// with `JSONEncoder`'s for whole exchange views and for text that needs escapes.
struct WireJSONEncoder {
    /// `value` in the compact form (ids not yet lowered: ``ServiceJSON`` does that for both encoders).
    func encode(_ value: some Encodable) throws -> [UInt8] {
        let slot = try WireEncoding.box(value, convertingKeys: true)
        var writer = WireWriter()
        try writer.write(slot)
        return writer.bytes
    }
}

/// A value being encoded: written, or a container that its encoder may still add to.
enum WireSlot {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case object(WireObject)
    case array(WireArray)
    /// A nested encoder (`superEncoder`): whatever it ends up holding.
    case encoder(WireEncoding)
}

final class WireObject {
    var entries: [String: WireSlot] = [:]
}

final class WireArray {
    var items: [WireSlot] = []
}

/// The `Encoder` handed to each value's `encode(to:)`.
final class WireEncoding: Encoder {
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    let convertingKeys: Bool
    var slot: WireSlot?

    init(convertingKeys: Bool) {
        self.convertingKeys = convertingKeys
    }

    /// The slot of `value`: dates, data, URLs and decimals as Foundation writes them,
    /// `[String: …]` without key conversion, anything else by its own `encode(to:)`.
    static func box<Value: Encodable>(_ value: Value, convertingKeys: Bool) throws -> WireSlot {
        // Comparing types, not casting values: a cast per value is what made Foundation slow.
        if Value.self == Date.self { return .string((value as! Date).formatted(.iso8601)) }
        if Value.self == Data.self { return .string((value as! Data).base64EncodedString()) }
        if Value.self == URL.self { return .string((value as! URL).absoluteString) }
        if Value.self == Decimal.self { return .number((value as! Decimal).description) }
        let encoder = WireEncoding(convertingKeys: convertingKeys && !(Value.self is any WireStringKeyedDictionary.Type))
        try value.encode(to: encoder)
        return encoder.slot ?? .object(WireObject())
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: WireObject
        if case .object(let existing)? = slot {
            object = existing
        } else {
            object = WireObject()
            slot = .object(object)
        }
        return KeyedEncodingContainer(WireKeyedContainer<Key>(object: object, convertingKeys: convertingKeys))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: WireArray
        if case .array(let existing)? = slot {
            array = existing
        } else {
            array = WireArray()
            slot = .array(array)
        }
        return WireUnkeyedContainer(array: array, convertingKeys: convertingKeys)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        WireSingleValueContainer(encoder: self)
    }
}

/// Marks `[String: Encodable]`, whose keys Foundation writes as they are.
protocol WireStringKeyedDictionary {}
extension Dictionary: WireStringKeyedDictionary where Key == String, Value: Encodable {}

/// Numbers as Foundation writes them; NaN and infinities are refused as Foundation refuses them.
enum WireNumber {
    static func float<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F) throws -> WireSlot {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "Unable to encode \(F.self).\(value) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(text)
    }
}

/// Foundation's `convertToSnakeCase` spelling of each key, asked of Foundation once per key
/// and kept for the process (a pure function of the key; the keys are the types' field names).
enum WireKeys {
    private static let known = Mutex<[String: String]>([:])

    static func snakeCase(_ key: String) -> String {
        if let found = known.withLock({ $0[key] }) { return found }
        let converted = (try? foundationSpelling(of: key)) ?? key
        known.withLock { $0[key] = converted }
        return converted
    }

    private struct Probe: Encodable {
        var key: String
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: AnyKey.self)
            try container.encode(0, forKey: AnyKey(stringValue: key))
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static func foundationSpelling(of key: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(Probe(key: key)))
        return (object as? [String: Any])?.keys.first ?? key
    }
}

struct WireKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: WireObject
    let convertingKeys: Bool
    var codingPath: [any CodingKey] { [] }

    private func name(_ key: Key) -> String { convertingKeys ? WireKeys.snakeCase(key.stringValue) : key.stringValue }

    mutating func encodeNil(forKey key: Key) throws { object.entries[name(key)] = .null }
    mutating func encode(_ value: Bool, forKey key: Key) throws { object.entries[name(key)] = .bool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { object.entries[name(key)] = .string(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { object.entries[name(key)] = try WireNumber.float(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { object.entries[name(key)] = try WireNumber.float(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { object.entries[name(key)] = .number(value.description) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { object.entries[name(key)] = .number(value.description) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { object.entries[name(key)] = .number(value.description) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { object.entries[name(key)] = .number(value.description) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { object.entries[name(key)] = .number(value.description) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { object.entries[name(key)] = .number(value.description) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { object.entries[name(key)] = .number(value.description) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { object.entries[name(key)] = .number(value.description) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { object.entries[name(key)] = .number(value.description) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { object.entries[name(key)] = .number(value.description) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.entries[name(key)] = try WireEncoding.box(value, convertingKeys: true)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = WireObject()
        object.entries[name(key)] = .object(nested)
        return KeyedEncodingContainer(WireKeyedContainer<NestedKey>(object: nested, convertingKeys: convertingKeys))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = WireArray()
        object.entries[name(key)] = .array(nested)
        return WireUnkeyedContainer(array: nested, convertingKeys: convertingKeys)
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: name(key)) }

    private func superEncoder(named name: String) -> any Encoder {
        let encoder = WireEncoding(convertingKeys: convertingKeys)
        object.entries[name] = .encoder(encoder)
        return encoder
    }
}

struct WireUnkeyedContainer: UnkeyedEncodingContainer {
    let array: WireArray
    let convertingKeys: Bool
    var codingPath: [any CodingKey] { [] }
    var count: Int { array.items.count }

    mutating func encodeNil() throws { array.items.append(.null) }
    mutating func encode(_ value: Bool) throws { array.items.append(.bool(value)) }
    mutating func encode(_ value: String) throws { array.items.append(.string(value)) }
    mutating func encode(_ value: Double) throws { array.items.append(try WireNumber.float(value)) }
    mutating func encode(_ value: Float) throws { array.items.append(try WireNumber.float(value)) }
    mutating func encode(_ value: Int) throws { array.items.append(.number(value.description)) }
    mutating func encode(_ value: Int8) throws { array.items.append(.number(value.description)) }
    mutating func encode(_ value: Int16) throws { array.items.append(.number(value.description)) }
    mutating func encode(_ value: Int32) throws { array.items.append(.number(value.description)) }
    mutating func encode(_ value: Int64) throws { array.items.append(.number(value.description)) }
    mutating func encode(_ value: UInt) throws { array.items.append(.number(value.description)) }
    mutating func encode(_ value: UInt8) throws { array.items.append(.number(value.description)) }
    mutating func encode(_ value: UInt16) throws { array.items.append(.number(value.description)) }
    mutating func encode(_ value: UInt32) throws { array.items.append(.number(value.description)) }
    mutating func encode(_ value: UInt64) throws { array.items.append(.number(value.description)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        array.items.append(try WireEncoding.box(value, convertingKeys: true))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = WireObject()
        array.items.append(.object(nested))
        return KeyedEncodingContainer(WireKeyedContainer<NestedKey>(object: nested, convertingKeys: convertingKeys))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = WireArray()
        array.items.append(.array(nested))
        return WireUnkeyedContainer(array: nested, convertingKeys: convertingKeys)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = WireEncoding(convertingKeys: convertingKeys)
        array.items.append(.encoder(encoder))
        return encoder
    }
}

struct WireSingleValueContainer: SingleValueEncodingContainer {
    let encoder: WireEncoding
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { encoder.slot = .null }
    mutating func encode(_ value: Bool) throws { encoder.slot = .bool(value) }
    mutating func encode(_ value: String) throws { encoder.slot = .string(value) }
    mutating func encode(_ value: Double) throws { encoder.slot = try WireNumber.float(value) }
    mutating func encode(_ value: Float) throws { encoder.slot = try WireNumber.float(value) }
    mutating func encode(_ value: Int) throws { encoder.slot = .number(value.description) }
    mutating func encode(_ value: Int8) throws { encoder.slot = .number(value.description) }
    mutating func encode(_ value: Int16) throws { encoder.slot = .number(value.description) }
    mutating func encode(_ value: Int32) throws { encoder.slot = .number(value.description) }
    mutating func encode(_ value: Int64) throws { encoder.slot = .number(value.description) }
    mutating func encode(_ value: UInt) throws { encoder.slot = .number(value.description) }
    mutating func encode(_ value: UInt8) throws { encoder.slot = .number(value.description) }
    mutating func encode(_ value: UInt16) throws { encoder.slot = .number(value.description) }
    mutating func encode(_ value: UInt32) throws { encoder.slot = .number(value.description) }
    mutating func encode(_ value: UInt64) throws { encoder.slot = .number(value.description) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.slot = try WireEncoding.box(value, convertingKeys: true)
    }
}

/// The bytes of a slot tree, compact, keys sorted by their UTF-8 bytes, escapes as Foundation's.
struct WireWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(4096) }

    mutating func write(_ slot: WireSlot) throws {
        switch slot {
        case .string(let text): string(text)
        case .number(let text): bytes.append(contentsOf: text.utf8)
        case .bool(let value): bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        case .encoder(let encoder): try write(encoder.slot ?? .object(WireObject()))
        case .array(let array):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in array.items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                try write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            let sorted = object.entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, entry) in sorted.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(entry.key)
                bytes.append(UInt8(ascii: ":"))
                try write(entry.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A quoted string: `"` and `\` escaped, control characters as `\b \f \n \r \t` or
    /// `\u00XX`, everything else (slashes, non-ASCII) as it is.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\"))
            case 0x08: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0x00...0x1F:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
