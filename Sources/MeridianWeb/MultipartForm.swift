import Foundation
import HTTPTypes
import Hummingbird

/// A `multipart/form-data` body (RFC 7578), as a page's form with a file input sends it: each
/// part's name, file name and type, and its bytes. The body is read whole, at most `limit`
/// bytes (``Failure/tooLarge`` above), so a form can never make the server hold more.
struct MultipartForm: Sendable {
    struct Part: Sendable {
        var name: String
        /// Set for a file input's part (empty when no file was chosen).
        var fileName: String?
        var contentType: String?
        var bytes: [UInt8]
    }

    enum Failure: Error {
        /// The body is larger than the limit.
        case tooLarge
        /// Not multipart, no boundary, or parts that do not parse.
        case malformed
    }

    private(set) var parts: [Part] = []

    /// The most parts a body may have: a page's form has a few fields and files, so more is
    /// not a form of ours.
    static let maximumParts = 16

    /// Reads and parses the request's body.
    static func read(_ request: Request, limit: Int) async throws -> MultipartForm {
        guard let type = request.headers[.contentType], let boundary = boundary(type) else { throw Failure.malformed }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // NIOTooManyBytesError, which Hummingbird answers as 413.
            throw Failure.tooLarge
        }
        return try MultipartForm(bytes: Array(buffer.readableBytesView), boundary: boundary)
    }

    /// The boundary of a `multipart/form-data; boundary=…` type (quoted or not).
    static func boundary(_ contentType: String) -> String? {
        let fields = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.first?.lowercased() == "multipart/form-data" else { return nil }
        for field in fields.dropFirst() where field.lowercased().hasPrefix("boundary=") {
            var value = String(field.dropFirst("boundary=".count))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    init(bytes: [UInt8], boundary: String) throws {
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        guard var position = Self.find(delimiter, in: bytes, from: 0) else { throw Failure.malformed }
        position += delimiter.count
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if Self.matches(Array("--".utf8), in: bytes, at: position) { return }
            guard Self.matches([13, 10], in: bytes, at: position) else { throw Failure.malformed }
            position += 2
            guard let headerEnd = Self.find([13, 10, 13, 10], in: bytes, from: position) else { throw Failure.malformed }
            let headers = String(decoding: bytes[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let contentEnd = Self.find(separator, in: bytes, from: contentStart) else { throw Failure.malformed }
            guard parts.count < Self.maximumParts else { throw Failure.malformed }
            parts.append(try Self.part(headers: headers, bytes: Array(bytes[contentStart..<contentEnd])))
            position = contentEnd + separator.count
        }
    }

    /// The first text value of `name`, or "".
    subscript(_ name: String) -> String {
        guard let part = parts.first(where: { $0.name == name && $0.fileName == nil }) else { return "" }
        return String(decoding: part.bytes, as: UTF8.self)
    }

    /// The files chosen in the input `name` (an input left empty sends a part with no file name
    /// and no bytes, which is left out).
    func files(_ name: String) -> [Part] {
        parts.filter { $0.name == name && $0.fileName != nil && !($0.fileName!.isEmpty && $0.bytes.isEmpty) }
    }

    private static func part(headers: String, bytes: [UInt8]) throws -> Part {
        var name: String?, fileName: String?, contentType: String?
        for line in headers.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if field == "content-type" { contentType = value }
            guard field == "content-disposition" else { continue }
            for (key, parameter) in parameters(value) {
                if key == "name" { name = parameter }
                if key == "filename" { fileName = parameter }
            }
        }
        guard let name else { throw Failure.malformed }
        return Part(name: name, fileName: fileName, contentType: contentType, bytes: bytes)
    }

    /// `form-data; name="a"; filename="b;c.pdf"` → [("name", "a"), ("filename", "b;c.pdf")]:
    /// split at semicolons outside quotes; browsers percent-encode quotes and line breaks in names.
    static func parameters(_ value: String) -> [(String, String)] {
        var pieces: [String] = [], current = "", quoted = false
        for character in value {
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        return pieces.dropFirst().compactMap { piece in
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            var text = pair[1].trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
            return (pair[0].trimmingCharacters(in: .whitespaces).lowercased(), text.replacingOccurrences(of: "%22", with: "\""))
        }
    }

    private static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        var index = start
        let last = bytes.count - pattern.count
        while index <= last {
            if bytes[index] == first && matches(pattern, in: bytes, at: index) { return index }
            index += 1
        }
        return nil
    }

    private static func matches(_ pattern: [UInt8], in bytes: [UInt8], at index: Int) -> Bool {
        guard index + pattern.count <= bytes.count else { return false }
        for offset in 0..<pattern.count where bytes[index + offset] != pattern[offset] { return false }
        return true
    }
}
