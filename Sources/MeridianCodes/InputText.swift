/// The rules every piece of text a person gives Meridian must follow before any SQL runs:
/// no NUL byte (PostgreSQL text cannot hold one), no terminal control characters (ANSI
/// escapes, BEL, bidirectional overrides that would repaint or reorder a terminal when the
/// text is printed back), and a documented maximum length.
public enum InputText {
    /// The documented maximum lengths, in characters (see docs/cli.md).
    public enum Limit {
        /// Codes, keys and names of things: a fund's name, a role, an idempotency key.
        public static let name = 200
        /// A title or a short line: an activity's title, a donor, a participant's institution.
        public static let title = 300
        /// A paragraph: a goal, a challenge, a lesson, a reason.
        public static let paragraph = 4_000
        /// Any other string inside a file or a JSON value (context, data).
        public static let any = 20_000
        /// An idempotency key (`--key`).
        public static let idempotencyKey = 200
    }

    /// Why `key` is refused as an idempotency key: 1 to 200 visible ASCII characters (letters,
    /// digits, punctuation; no space), such as a UUID or `plan-2026-07-rwa`.
    /// `text` without leading and trailing spaces and tabs (no Foundation needed).
    public static func trimmingSpaces(_ text: String) -> String {
        var scalars = Substring(text)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }

    public static func keyProblem(_ key: String) -> String? {
        guard !key.isEmpty, key.utf8.count <= Limit.idempotencyKey, key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return "--key must be 1 to \(Limit.idempotencyKey) visible ASCII characters without spaces (such as a UUID), not \(key.utf8.count) bytes of '\(printable(String(key.prefix(40))))'"
        }
        return nil
    }

    /// A text's length as the limits count it: in Unicode code points, as PostgreSQL's
    /// `length()` counts in the columns' checks. A flag emoji is one character but two code
    /// points; counting characters let a text through that the database then refused (a 500
    /// instead of a clear line). Every front end's pre-check counts with this too.
    public static func length(_ text: some StringProtocol) -> Int { text.unicodeScalars.count }

    /// Why `text` is refused as `field`, or `nil` when it is fine.
    /// - Parameter multiline: whether line feeds (and tabs) are allowed, as in a paragraph.
    public static func problem(_ text: String, field: String, maximum: Int, multiline: Bool = true) -> String? {
        for scalar in text.unicodeScalars {
            if scalar.value == 0 { return "\(field): contains a NUL byte, which text cannot hold" }
            if !multiline, scalar == "\n" || scalar == "\r" || scalar == "\t" {
                return "\(field): must be one line (it contains a line break or a tab)"
            }
            if isControl(scalar) {
                return "\(field): contains the control character \(codePoint(scalar)); remove it"
            }
        }
        let count = length(text)
        if count > maximum { return "\(field): has \(count) characters, at most \(maximum)" }
        return nil
    }

    /// Whether `scalar` would act on a terminal instead of being shown: C0 controls other
    /// than tab, line feed and carriage return, DEL, C1 controls, and the bidirectional
    /// embeddings, overrides and isolates.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        default: return false
        }
    }

    /// `text` safe to print on a terminal: every control character (see ``isControl(_:)``)
    /// and line break written as its `\u{…}` escape.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) || $0 == "\n" || $0 == "\r" }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) || scalar == "\n" || scalar == "\r" {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
