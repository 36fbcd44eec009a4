import Foundation

extension ConnectionSettings {
    /// Parses a libpq-style URL: `postgresql://user:password@host:port/database?sslmode=…`,
    /// or a Unix socket as `postgresql://user@/database?host=/path/to/socket-folder`.
    ///
    /// Without `sslmode`, loopback hosts default to `disable` and others to `prefer`, as libpq
    /// would behave against a server without certificates.
    public init(url text: String) throws {
        func invalid(_ why: String) -> DatabaseError {
            DatabaseError(
                .invalidURL,
                "the database URL \(Self.redacted(text)) is not usable: \(why)",
                hint: "write it as postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
            )
        }
        guard let components = URLComponents(string: text) else { throw invalid("it is not a URL") }
        guard let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw invalid("the scheme must be postgresql://")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            query[item.name] = item.value ?? ""
        }
        let supported: Set = ["host", "port", "sslmode", "user", "password", "dbname", "application_name", "connect_timeout"]
        if let unknown = query.keys.sorted().first(where: { !supported.contains($0) }) {
            throw invalid("the parameter `\(unknown)` is not supported")
        }

        let portText = query["port"] ?? components.port.map(String.init) ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else { throw invalid("the port `\(portText)` is not a number from 1 to 65535") }

        let host = query["host"] ?? components.percentEncodedHost.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 }
        let endpoint: Endpoint
        if let host, host.hasPrefix("/") {
            endpoint = .unixSocket(directory: host, port: port)
        } else if let host {
            let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            endpoint = .tcp(host: bare, port: port)
        } else {
            throw invalid("it names no host (for a Unix socket, add ?host=/path/to/socket-folder)")
        }

        let username = query["user"] ?? components.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = query["password"] ?? components.password
        var path = components.path
        if path.hasPrefix("/") { path.removeFirst() }
        let database = query["dbname"] ?? (path.isEmpty ? username : path)

        let tls: TLSMode
        switch query["sslmode"] {
        case nil:
            if case .tcp(let host, _) = endpoint, !["localhost", "127.0.0.1", "::1"].contains(host) {
                tls = .prefer
            } else {
                tls = .disable
            }
        case "disable", "allow": tls = .disable
        case "prefer": tls = .prefer
        case "require": tls = .require
        case "verify-ca", "verify-full": tls = .verifyFull
        case let other?: throw invalid("sslmode `\(other)` is not one of disable, prefer, require, verify-ca, verify-full")
        }
        self.init(endpoint: endpoint, username: username, password: password, database: database, tls: tls)
        if let seconds = query["connect_timeout"] {
            // libpq's 0 means "wait for ever", which Meridian never does.
            guard let value = Int(seconds), (1...3_600).contains(value) else {
                throw invalid("connect_timeout `\(seconds)` is not a whole number of seconds from 1 to 3600")
            }
            connectTimeout = .seconds(value)
        }
        if let name = query["application_name"] {
            guard name.count <= 63, name.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
                throw invalid("application_name must be at most 63 printable ASCII characters")
            }
            applicationName = name
        }
    }

    /// The URL with its password replaced, safe to print in errors and logs — also when the
    /// URL is malformed (`postgresql://bob:secret@[::1/db`), where the text between `://` and
    /// the last `@` before the path is taken for credentials.
    static func redacted(_ text: String) -> String {
        if var components = URLComponents(string: text) {
            if components.password != nil { components.password = "*****" }
            components.queryItems = components.queryItems?.map { item in
                item.name == "password" ? URLQueryItem(name: "password", value: "*****") : item
            }
            if let string = components.string { return string }
        }
        var result = text
        if let scheme = result.range(of: "://") {
            let rest = result[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
                result.replaceSubrange(result.index(after: colon)..<at, with: "*****")
            }
        }
        // A password given as a query parameter, however the rest is broken.
        if let range = result.range(of: "password=") {
            let end = result[range.upperBound...].firstIndex(of: "&") ?? result.endIndex
            result.replaceSubrange(range.upperBound..<end, with: "*****")
        }
        return result
    }
}
