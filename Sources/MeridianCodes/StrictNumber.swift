/// Numbers read whole or not at all: `12`, `-3`, `12.5`; never `12,5`, `40abc`, `0x10`,
/// `1e3` or ` 7` (Foundation's `Decimal(string:)` reads a prefix and drops the rest).
public enum StrictNumber {
    /// Whether `text` is an optional `-`, digits, and optionally `.` and more digits.
    public static func isDecimal(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.count == 1 || bytes.last != UInt8(ascii: ".") else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.count <= 30 && $0.allSatisfy { $0 >= 48 && $0 <= 57 } }
    }

    /// `text` as a whole number: an optional `-` and at most 18 digits.
    public static func integer(_ text: String) -> Int64? {
        var bytes = Substring(text).utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        guard !bytes.isEmpty, bytes.count <= 18, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let value = bytes.reduce(Int64(0)) { $0 * 10 + Int64($1 - 48) }
        return negative ? -value : value
    }
}
