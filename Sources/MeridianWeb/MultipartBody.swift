import Foundation
import Hummingbird

/// A `multipart/form-data` body (RFC 7578), as the plan's upload form sends it: each part's
/// name, its file name when it is a file, and its bytes.
///
/// Read whole into memory within ``limit`` (a plan file is at most 1 MiB, see
/// `FileDecoding.largestFile`), with at most ``maximumParts`` parts; anything else in the
/// body is refused rather than guessed at.
struct MultipartBody: Sendable {
    struct Part: Sendable {
        var name: String
        var fileName: String?
        var bytes: [UInt8]
    }

    /// Why a body could not be read.
    enum Problem: Error, Equatable {
        case tooLarge
        case malformed
    }

    /// The largest body read: a 1 MiB plan file and its form's other fields.
    static let limit = (1 << 20) + 16 * 1024
    static let maximumParts = 10

    private(set) var parts: [Part] = []

    /// The first part called `name`.
    subscript(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// The text of the field `name` (UTF-8), or "".
    func text(_ name: String) -> String { self[name].map { String(decoding: $0.bytes, as: UTF8.self) } ?? "" }

    /// Reads and parses the request's body: ``Problem/malformed`` when it is not `multipart/form-data`.
    static func read(_ request: Request) async throws(Problem) -> MultipartBody {
        guard let contentType = request.headers[.contentType], let boundary = boundary(contentType) else { throw .malformed }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw .tooLarge
        }
        return try MultipartBody(Array(buffer.readableBytesView), boundary: boundary)
    }

    /// The boundary of a `multipart/form-data; boundary=…` content type (quoted or not, 1–70 characters).
    static func boundary(_ contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() where piece.lowercased().hasPrefix("boundary=") {
            var value = String(piece.dropFirst("boundary=".count))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// Parses `bytes` delimited by `--boundary` lines, up to the closing `--boundary--`.
    init(_ bytes: [UInt8], boundary: String) throws(Problem) {
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        guard var cursor = Self.find(delimiter, in: bytes, from: 0) else { throw .malformed }
        let nextDelimiter = crlf + delimiter
        while true {
            cursor += delimiter.count
            if bytes[cursor...].starts(with: [45, 45]) { return }  // "--": the closing delimiter
            guard bytes[cursor...].starts(with: crlf) else { throw .malformed }
            cursor += 2
            guard let headerEnd = Self.find(crlf + crlf, in: bytes, from: cursor),
                  let end = Self.find(nextDelimiter, in: bytes, from: headerEnd + 4) else { throw .malformed }
            let headers = String(decoding: bytes[cursor..<headerEnd], as: UTF8.self)
            guard let (name, fileName) = Self.disposition(headers) else { throw .malformed }
            guard parts.count < Self.maximumParts else { throw .malformed }
            parts.append(Part(name: name, fileName: fileName, bytes: Array(bytes[(headerEnd + 4)..<end])))
            cursor = end + 2
        }
    }

    /// The `name` and `filename` of a part's `Content-Disposition: form-data` header.
    static func disposition(_ headers: String) -> (String, String?)? {
        for line in headers.components(separatedBy: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition" else { continue }
            var name: String?, fileName: String?
            for parameter in pair[1].split(separator: ";").dropFirst() {
                let kv = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2 else { continue }
                var value = kv[1]
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                switch kv[0].lowercased() {
                case "name": name = value
                case "filename": fileName = value
                default: break
                }
            }
            return name.map { ($0, fileName) }
        }
        return nil
    }

    /// The first index at or after `start` where `needle` begins in `haystack`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
