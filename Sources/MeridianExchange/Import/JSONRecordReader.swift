import Foundation

/// Reads a JSON array of objects into records that know the line each object starts on,
/// which Foundation's parser does not tell: a small scan over the bytes finds the lines.
enum JSONRecordReader {
    static func read(_ data: Data) -> (records: [RawRecord], problems: [(line: Int, message: String)]) {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            return ([], [(1, "not valid JSON: \(detail)")])
        }
        guard let elements = parsed as? [Any] else {
            return ([], [(1, "expected a JSON array of experience objects")])
        }
        let lines = elementLines(data)
        var records: [RawRecord] = []
        var problems: [(line: Int, message: String)] = []
        for (index, element) in elements.enumerated() {
            let line = index < lines.count ? lines[index] : 1
            guard let object = element as? [String: Any] else {
                problems.append((line, "element \(index + 1) is not an object"))
                continue
            }
            records.append(RawRecord(line: line, fields: object.mapValues(value)))
        }
        return (records, problems)
    }

    private static func value(_ any: Any) -> RawRecord.Value {
        switch any {
        case is NSNull: return .null
        case let string as String: return .text(string)
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return .other("a boolean") }
            return .number(number.doubleValue)
        case let array as [Any]: return .list(array.map(value))
        case let object as [String: Any]: return .object(object.mapValues(value))
        default: return .other("an object")
        }
    }

    /// The line on which each element of the top-level array starts.
    static func elementLines(_ data: Data) -> [Int] {
        var lines: [Int] = []
        var line = 1
        var depth = 0
        var inString = false
        var escaped = false
        var expectingElement = false
        for byte in data {
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            default:
                break
            }
            if depth == 1, expectingElement, byte != UInt8(ascii: "]") {
                lines.append(line)
                expectingElement = false
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth == 1 { expectingElement = true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: ","): if depth == 1 { expectingElement = true }
            default: break
            }
        }
        return lines
    }
}
