/// Writes well-formed, indented XML text with every value escaped.
///
/// Writers of standard files (pain.001, IATI) call `element` in the standard's order; the
/// writer only guarantees escaping and nesting, the schema tests guarantee the rest.
public struct XMLWriter: Sendable {
    public private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var depth = 0

    public init() {}

    /// An element with children written by `body`.
    public mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], _ body: (inout XMLWriter) -> Void) {
        text += indent + "<" + name + Self.attributeText(attributes) + ">\n"
        depth += 1
        body(&self)
        depth -= 1
        text += indent + "</" + name + ">\n"
    }

    /// An element holding only text (or empty when `value` is nil and there are attributes).
    public mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], text value: String? = nil) {
        if let value {
            text += indent + "<" + name + Self.attributeText(attributes) + ">" + Self.escape(value) + "</" + name + ">\n"
        } else {
            text += indent + "<" + name + Self.attributeText(attributes) + "/>\n"
        }
    }

    private var indent: String { String(repeating: "  ", count: depth) }

    private static func attributeText(_ attributes: KeyValuePairs<String, String?>) -> String {
        var result = ""
        for (key, value) in attributes {
            guard let value else { continue }
            result += " " + key + "=\"" + escape(value, attribute: true) + "\""
        }
        return result
    }

    /// Escapes markup characters and drops characters XML 1.0 cannot carry.
    public static func escape(_ value: String, attribute: Bool = false) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where attribute: result += "&quot;"
            case "\n" where attribute: result += "&#10;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v >= 0x20 && v != 0xFFFE && v != 0xFFFF { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }
}
