import Foundation

/// A JSON value as the engine stores it: contexts, event data and task results.
///
/// Integers stay integers (amounts are integer minor units, never floating point), and the
/// encoding is canonical (sorted keys), so the same value always has the same text.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses `text` as one JSON object; `what` names it in the error (`--context`, `--data`).
    public static func parseObject(_ text: String, what: String) throws(EngineError) -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw EngineError(.invalidInput, "\(what) is not valid JSON", hint: "give a JSON object, such as '{\"title\": \"Water utilities\"}'")
        }
        guard case .object(let object) = value else {
            throw EngineError(.invalidInput, "\(what) must be a JSON object, not \(value.kindName)", hint: "wrap the values in {…}")
        }
        return object
    }

    /// The canonical text: sorted keys, no insignificant whitespace.
    public static func canonicalText(_ object: [String: JSONValue]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a tree of plain values cannot fail.
        return String(decoding: (try? encoder.encode(object)) ?? Data("{}".utf8), as: UTF8.self)
    }

    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as guards and event payloads see it: strings as they are, other scalars in
    /// their JSON form.
    var flatText: String {
        switch self {
        case .string(let value): value
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .array, .object: JSONValue.canonicalText(["v": self]).dropFirst(5).dropLast().description
        }
    }
}
