import Foundation
import MeridianCodes

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

    /// ``parseObject(_:what:)`` for what a person gives (a context, an event's data), with
    /// the rules of input on top: every string plain text (``InputText``), and the amounts
    /// under `amounts` whole non-negative minor units in an ISO 4217 currency — all checked
    /// before any SQL runs.
    public static func parseInput(_ text: String, what: String) throws(EngineError) -> [String: JSONValue] {
        let object = try parseObject(text, what: what)
        if let problem = JSONValue.object(object).textProblem(at: what) {
            throw EngineError(.invalidInput, problem, hint: "give plain text (no NUL byte, no terminal control characters)")
        }
        if let problem = Self.amountProblem(object["amounts"], what: what) {
            throw EngineError(.invalidInput, problem, hint: "write each amount as {\"minor_units\": 150000, \"currency\": \"USD\"}")
        }
        return object
    }

    /// The first string (key or value) of the tree that ``InputText`` refuses, named by its path.
    func textProblem(at path: String) -> String? {
        switch self {
        case .string(let text):
            return InputText.problem(text, field: path, maximum: InputText.Limit.any)
        case .array(let values):
            for (index, value) in values.enumerated() {
                if let problem = value.textProblem(at: "\(path)[\(index)]") { return problem }
            }
            return nil
        case .object(let fields):
            for key in fields.keys.sorted() {
                if let problem = InputText.problem(key, field: "\(path): a key", maximum: InputText.Limit.name, multiline: false) {
                    return problem
                }
                if let problem = fields[key]!.textProblem(at: "\(path).\(key)") { return problem }
            }
            return nil
        default:
            return nil
        }
    }

    /// The largest amount a context may hold, in minor units (as MeridianFunding's `Money.largestMinorUnits`).
    public static let largestMinorUnits: Int64 = 1_000_000_000_000_000

    /// Why the context's `amounts` are refused: each must be a non-negative whole number of
    /// minor units in an ISO 4217 currency.
    static func amountProblem(_ amounts: JSONValue?, what: String) -> String? {
        guard let amounts else { return nil }
        guard case .object(let fields) = amounts else { return "\(what).amounts must be an object of amounts" }
        for name in fields.keys.sorted() {
            let field = "\(what).amounts.\(name)"
            guard case .object(let amount) = fields[name]!, case .integer(let minor)? = amount["minor_units"],
                  case .string(let code)? = amount["currency"] else {
                return "\(field) must be {\"minor_units\": INTEGER, \"currency\": \"ISO 4217 code\"}"
            }
            guard ISO4217.isCurrency(code) else { return "\(field).currency: '\(InputText.printable(code))' is not an ISO 4217 currency code" }
            guard (0...largestMinorUnits).contains(minor) else {
                return "\(field).minor_units: \(minor) must be from 0 to \(largestMinorUnits)"
            }
            if let extra = amount.keys.sorted().first(where: { $0 != "minor_units" && $0 != "currency" }) {
                return "\(field): unknown key '\(InputText.printable(extra))'"
            }
        }
        return nil
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
