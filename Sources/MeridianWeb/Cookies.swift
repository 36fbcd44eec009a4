import Foundation
import HTTPTypes
import Hummingbird

/// The pages' cookies: the session's secret, the anonymous visitor's CSRF secret and language.
///
/// Every cookie is `HttpOnly; SameSite=Strict; Path=/`, and `Secure` when the server is told it
/// is reached over TLS (`meridian serve --secure-cookies`, or `MERIDIAN_SECURE_COOKIES=1`), so
/// a browser never sends them over plain HTTP then.
struct WebCookies: Sendable {
    static let session = "mrd_session"
    static let anonymousCSRF = "mrd_csrf"
    static let language = "mrd_lang"

    let secure: Bool

    /// The cookies a request carries, by name (the first of a repeated name).
    static func read(_ request: Request) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                let name = pair[0].trimmingCharacters(in: .whitespaces)
                if cookies[name] == nil { cookies[name] = pair[1].trimmingCharacters(in: .whitespaces) }
            }
        }
        return cookies
    }

    /// A `Set-Cookie` field; `maxAge` 0 deletes the cookie.
    func field(_ name: String, _ value: String, maxAge: Int) -> HTTPField {
        var text = "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
        if secure { text += "; Secure" }
        return HTTPField(name: .setCookie, value: text)
    }
}

/// Cross-site request forgery: every form carries a token the server checks.
///
/// Signed in, the token is derived from the session's secret (SHA-256 of `csrf:` and the
/// secret), so it needs no storage and no other site can compute it: the secret is in an
/// HttpOnly cookie. Before signing in (the sign-in and language forms), a random secret in
/// its own cookie must equal the form's field (double submit). SameSite=Strict already keeps
/// other sites' requests from carrying the cookies; the token is the second lock.
enum CSRF {
    static func token(forSession secret: String) -> String {
        SHA256Hex.of("csrf:" + secret)
    }

    /// A fresh random secret for an anonymous visitor.
    static func freshSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// Compares in constant time: a timing difference would tell an attacker a prefix.
    static func matches(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8), b = Array(expected.utf8)
        guard a.count == b.count, !b.isEmpty else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
