import Foundation

/// Finds a key that a JSON object holds twice. JSON parsers keep one of the values silently
/// (RFC 8259 leaves it to them), so a body `{"approve":false,"approve":true}` would mean what
/// one reader thinks and not another: the API refuses such bodies.
enum DuplicateKeys {
    /// A key given twice, and where: `context.amounts` (the enclosing keys), or empty at the top.
    struct Found: Equatable {
        var key: String
        var path: String
    }

    /// The first key repeated within one object of `data`, which must already be valid JSON.
    static func first(in data: Data) -> Found? {
        let bytes = [UInt8](data)
        /// An open object's keys and the key it stands under; `nil` for an array.
        var stack: [(keys: Set<String>, under: String)?] = []
        var expectingKey = false
        var lastKey = ""
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"):
                stack.append((keys: [], under: stack.last.map { _ in lastKey } ?? ""))
                expectingKey = true
            case UInt8(ascii: "["):
                stack.append(nil)
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = stack.last.map { $0 != nil } ?? false
            case UInt8(ascii: "\""):
                let end = stringEnd(bytes, from: index)
                if expectingKey, let object = stack.last, var keys = object?.keys {
                    let key = text(bytes[index...end])
                    if keys.contains(key) {
                        let path = stack.compactMap { $0?.under }.filter { !$0.isEmpty }.joined(separator: ".")
                        return Found(key: key, path: path)
                    }
                    keys.insert(key)
                    stack[stack.count - 1] = (keys: keys, under: object!.under)
                    lastKey = key
                    expectingKey = false
                }
                index = end
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// The index of the quote closing the string that opens at `start`.
    private static func stringEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == UInt8(ascii: "\"") { return index }
            index += 1
        }
        return bytes.count - 1
    }

    /// A quoted JSON string's text: escapes read, so `"a"` and `"\u0061"` are the same key.
    private static func text(_ quoted: ArraySlice<UInt8>) -> String {
        guard quoted.contains(UInt8(ascii: "\\")) else { return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self) }
        return (try? JSONSerialization.jsonObject(with: Data(quoted), options: [.fragmentsAllowed])) as? String
            ?? String(decoding: quoted, as: UTF8.self)
    }
}
