import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import MeridianWeb

/// A browser for the page tests: keeps the cookies the server sets, sends forms with the
/// page's CSRF token, and reads answers as text.
final class PageBrowser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var language: String?

    init(_ client: any TestClientProtocol, language: String? = nil) {
        self.client = client
        self.language = language
    }

    struct Page: Sendable {
        var status: Int
        var headers: HTTPFields
        var html: String
        /// The body's bytes (a downloaded file).
        var bytes: [UInt8] = []
        var location: String? { headers[.location] }
        /// The CSRF token of the page's first form.
        var csrf: String? {
            guard let range = html.range(of: #"name="csrf" value="([0-9a-f]{64})""#, options: .regularExpression) else { return nil }
            return String(html[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
        }
        /// The idempotency key the page's forms send (the first `key` field).
        var formKey: String? {
            guard let range = html.range(of: #"name="key" value="([0-9a-f-]{36})""#, options: .regularExpression) else { return nil }
            return String(html[range].dropFirst(#"name="key" value=""#.count).dropLast())
        }
        var setCookies: [String] { headers[values: .setCookie] }
    }

    func get(_ path: String) async throws -> Page {
        try await send(.get, path, body: nil)
    }

    /// Posts `fields` (URL-encoded, in order), adding `csrf` unless the test gives its own.
    func post(_ path: String, _ fields: [(String, String)], csrf: String?) async throws -> Page {
        var all = fields
        if let csrf { all.insert(("csrf", csrf), at: 0) }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        return try await send(.post, path, body: body)
    }

    /// Signs in with `token` through the sign-in form; returns the answer to the form.
    @discardableResult
    func signIn(_ token: String) async throws -> Page {
        let form = try await get("/sign-in")
        return try await post("/sign-in", [("token", token)], csrf: form.csrf)
    }

    /// Posts a `multipart/form-data` form as a browser does for a file input: `fields`, then
    /// each file (input name, file name, type, bytes); `csrf` first unless the test gives its own.
    func postMultipart(_ path: String, _ fields: [(String, String)], files: [(String, String, String, [UInt8])], csrf: String?) async throws -> Page {
        let boundary = "----MeridianTestBoundary7MA4YWxkTrZu0gW"
        var body: [UInt8] = []
        var all = fields
        if let csrf { all.insert(("csrf", csrf), at: 0) }
        for (name, value) in all {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for (name, fileName, type, bytes) in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
            body += bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return try await send(.post, path, bytes: ByteBuffer(bytes: body), contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Sends `body` (a form, unless `contentType` says otherwise) with the cookies kept so far.
    func send(_ method: HTTPRequest.Method, _ path: String, body: String?, contentType: String = "application/x-www-form-urlencoded") async throws -> Page {
        try await send(method, path, bytes: body.map { ByteBuffer(string: $0) }, contentType: body == nil ? nil : contentType)
    }

    private func send(_ method: HTTPRequest.Method, _ path: String, bytes: ByteBuffer?, contentType: String?) async throws -> Page {
        var fields: HTTPFields = [:]
        if !cookies.isEmpty { fields[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let language { fields[.acceptLanguage] = language }
        if let contentType { fields[.contentType] = contentType }
        let page = try await client.execute(uri: path, method: method, headers: fields, body: bytes) { response in
            Page(status: Int(response.status.code), headers: response.headers, html: String(buffer: response.body),
                 bytes: Array(response.body.readableBytesView))
        }
        for cookie in page.setCookies {
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if cookie.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return page
    }
}

extension ServiceFixture {
    /// A test client of the whole server's router (API and pages).
    func withPages<Result: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Result) async throws -> Result {
        try await withAPI(body)
    }
}

/// Checks every page must pass: one h1, a label for every visible input, at most 100 KB.
enum PageChecks {
    static func problems(_ html: String) -> [String] {
        var problems: [String] = []
        let h1 = html.components(separatedBy: "<h1").count - 1
        if h1 != 1 { problems.append("\(h1) h1 elements") }
        if html.utf8.count > 100_000 { problems.append("\(html.utf8.count) bytes") }
        for landmark in ["<header", "<main", "<footer", "<nav"] where landmark != "<nav" && !html.contains(landmark) {
            problems.append("no \(landmark)>")
        }
        let controls = try! NSRegularExpression(pattern: #"<(input|textarea|select)\b[^>]*>"#)
        let id = try! NSRegularExpression(pattern: #"\bid="([^"]+)""#)
        for match in controls.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let tag = String(html[Range(match.range, in: html)!])
            if tag.contains(#"type="hidden""#) { continue }
            guard let idMatch = id.firstMatch(in: tag, range: NSRange(tag.startIndex..., in: tag)) else {
                problems.append("a control without id: \(tag)"); continue
            }
            let value = String(tag[Range(idMatch.range(at: 1), in: tag)!])
            if !html.contains(#"for="\#(value)""#) { problems.append("no label for #\(value)") }
        }
        return problems
    }
}
