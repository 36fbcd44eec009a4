import Crypto
import Foundation
import MeridianCodes

/// The conversation's documented limits and the sanitising of what people send: a message's
/// text, how many attachments and how large, and the file name and content type an attachment
/// is stored (and later served) with.
public enum ConversationRules {
    /// Characters of a message's text (a paragraph, as everywhere in Meridian).
    public static let maxTextCharacters = InputText.Limit.paragraph
    /// Bytes of one attachment: 5 MiB.
    public static let maxAttachmentBytes = 5 * 1024 * 1024
    /// Attachments of one message.
    public static let maxAttachments = 3
    /// Characters of a stored file name.
    public static let maxFileNameCharacters = 120

    /// Types served as they are stored; anything a browser could run or render as a page
    /// (HTML, SVG, XML, scripts) is stored as `application/octet-stream`.
    static let refusedTypes: Set<String> = [
        "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml",
        "text/javascript", "application/javascript", "application/ecmascript", "text/ecmascript",
    ]

    /// The message's text, trimmed, or the one-line reason it is refused.
    public static func text(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw ExchangeError(.invalidData, "the message is empty", hint: "write a text (at most \(maxTextCharacters) characters)")
        }
        if let problem = InputText.problem(trimmed, field: "the message", maximum: maxTextCharacters) {
            throw ExchangeError(.invalidData, problem, hint: "shorten or correct the text and send it again")
        }
        return trimmed
    }

    /// Checks the attachments' count and sizes.
    public static func check(_ attachments: [NewAttachment]) throws {
        guard attachments.count <= maxAttachments else {
            throw ExchangeError(.invalidData, "a message carries at most \(maxAttachments) attachments, not \(attachments.count)",
                                hint: "send the others with another message")
        }
        for file in attachments {
            let name = fileName(file.fileName)
            if file.bytes.isEmpty {
                throw ExchangeError(.invalidData, "the attachment '\(name)' is empty", hint: "choose the file again")
            }
            if file.bytes.count > maxAttachmentBytes {
                throw ExchangeError(.invalidData, "the attachment '\(name)' has \(file.bytes.count) bytes, at most \(maxAttachmentBytes) (5 MiB)",
                                    hint: "send a smaller file (compress it, or split it)")
            }
        }
    }

    /// The name a file is stored with: its last path component, without control, bidirectional
    /// or quoting characters, at most ``maxFileNameCharacters``; `attachment` when nothing is left.
    public static func fileName(_ given: String) -> String {
        let last = given.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var kept = String.UnicodeScalarView()
        for scalar in last.unicodeScalars {
            if InputText.isControl(scalar) || scalar.value < 0x20 || scalar == "\"" || scalar == ";" || scalar == "<" || scalar == ">" { continue }
            kept.append(scalar)
        }
        var name = String(kept).trimmingCharacters(in: .whitespacesAndNewlines)
        while name.hasPrefix(".") { name.removeFirst() }
        if name.count > maxFileNameCharacters {
            // Keep the extension, which says what the file is.
            let dot = name.lastIndex(of: ".").map { String(name[$0...]) } ?? ""
            let keep = dot.count < 16 ? dot : ""
            name = String(name.prefix(maxFileNameCharacters - keep.count)) + keep
        }
        return name.isEmpty ? "attachment" : name
    }

    /// The type a file is stored and served with: a bare `type/subtype`, lower case;
    /// `application/octet-stream` when it is missing, malformed, or one a browser would run.
    public static func contentType(_ given: String) -> String {
        let bare = given.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() } ?? ""
        let parts = bare.split(separator: "/", omittingEmptySubsequences: false)
        let allowed: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || "!#$&^_.+-".contains($0)) }
        let wellFormed = parts.count == 2 && parts.allSatisfy { part in
            guard let first = part.first, first.isASCII, first.isLetter || first.isNumber, part.count <= 100 else { return false }
            return part.allSatisfy(allowed)
        }
        guard wellFormed, !refusedTypes.contains(bare) else { return "application/octet-stream" }
        return bare
    }

    /// Lower-case hex SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
    }
}
