import AsyncHTTPClient
import Foundation
import MeridianCodes
import MeridianService

/// Where `meridian serve` runs, from `--server` or MERIDIAN_SERVER: an https URL, or http to
/// this machine only, with no user, password, query or fragment (the token goes in
/// MERIDIAN_TOKEN, never in the URL, and never in clear over a network).
struct ServerAddress: Sendable, CustomStringConvertible {
    /// `https://meridian.example.org` or `http://127.0.0.1:8080/prefix`, without a trailing slash.
    let base: String

    /// The environment variable that names the server.
    static let environmentName = "MERIDIAN_SERVER"

    init(_ text: String, from origin: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw CLIFailure("\(origin) '\(InputText.printable(trimmed))' is not a server address; give http://HOST:PORT or https://HOST, where `meridian serve` runs",
                             status: .usage)
        }
        guard components.user == nil, components.password == nil else {
            throw CLIFailure("\(origin) holds a user or password, which is not shown; give only http(s)://HOST:PORT and the token in MERIDIAN_TOKEN (or `meridian login`)",
                             status: .usage)
        }
        // The token travels in a header: in clear only to this machine, else over TLS.
        guard scheme == "https" || Self.isLoopback(host) else {
            throw CLIFailure("\(origin) '\(trimmed)' would send your token unencrypted over the network; use https:// (a TLS proxy in front of `meridian serve`), or http:// only to this machine (127.0.0.1, localhost)",
                             status: .usage)
        }
        guard components.query == nil, components.fragment == nil else {
            throw CLIFailure("\(origin) '\(trimmed)' has a query or fragment; give only http(s)://HOST:PORT (and a path prefix, if the server has one)", status: .usage)
        }
        var base = trimmed
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
    }

    /// Whether `host` is this machine: `localhost`, 127.0.0.0/8 or ::1.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// The server named by `flag` (`--server`), else MERIDIAN_SERVER; `nil` when neither is set.
    static func configured(flag: String?) throws -> ServerAddress? {
        if let flag { return try ServerAddress(flag, from: "--server") }
        guard let text = ProcessInfo.processInfo.environment[environmentName], !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            return nil
        }
        return try ServerAddress(text, from: environmentName)
    }

    var description: String { base }

    /// The address of `/api/v1/PATH` with `query` (pairs whose value is `nil` are left out).
    func url(_ path: String, query: [(String, String?)] = []) -> String {
        let pairs = query.compactMap { name, value in value.map { "\(name)=\(Self.escape($0, allowed: Self.queryValue))" } }
        return "\(base)/api/v1/\(path)" + (pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&"))
    }

    /// `text` as one path segment: `/`, `?`, `#` and `%` escaped.
    static func segment(_ text: String) -> String { escape(text, allowed: pathSegment) }

    private static let pathSegment = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#%;"))
    private static let queryValue = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#%"))

    private static func escape(_ text: String, allowed: CharacterSet) -> String {
        text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Exit status 69 with one line naming the server: it refused the connection, did not
    /// answer in time, or the connection broke.
    func unreachable(_ error: any Error) -> any Error {
        if let failure = error as? CLIFailure { return failure }
        let reason: String
        let text = String(describing: error)
        if let client = error as? HTTPClientError, [HTTPClientError.deadlineExceeded, .readTimeout, .connectTimeout].contains(client) {
            reason = "it did not answer in time"
        } else if text.localizedCaseInsensitiveContains("refused") {
            reason = "the connection was refused"
        } else if text.localizedCaseInsensitiveContains("timeout") || text.localizedCaseInsensitiveContains("timed out") {
            reason = "it did not answer in time"
        } else if let client = error as? HTTPClientError, client == .remoteConnectionClosed {
            reason = "it closed the connection"
        } else {
            reason = "\(InputText.printable(text.split(separator: "\n").first.map(String.init) ?? text))"
        }
        return CLIFailure("cannot reach the Meridian server at \(base): \(reason); check \(Self.environmentName) (or --server) and that `meridian serve` runs there",
                          status: .unavailable)
    }
}
