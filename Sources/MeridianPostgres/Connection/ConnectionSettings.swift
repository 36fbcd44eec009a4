import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL database is and how to log in: parsed from a URL or made by the
/// embedded cluster, and turned into PostgresNIO's configurations.
public struct ConnectionSettings: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// A Unix socket in `directory`, named after `port` as PostgreSQL does.
        case unixSocket(directory: String, port: Int)
    }

    /// libpq's `sslmode`. As in libpq, `prefer` and `require` encrypt without checking the
    /// server's certificate (a stock server's is self-signed); `verify-full` checks it.
    public enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// The most connections a pooled client opens (`nil`: PostgresNIO's default, 20). On a
    /// small machine fewer backends can do more: see the engine figures in the README.
    public var maximumConnections: Int?

    public init(endpoint: Endpoint, username: String, password: String?, database: String, tls: TLSMode) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// The same settings as a libpq-style URL that `psql` also accepts (password omitted).
    public var url: String {
        let user = Self.percentEncode(username)
        let name = Self.percentEncode(database)
        switch endpoint {
        case .tcp(let host, let port):
            let shownHost = host.contains(":") ? "[\(host)]" : host
            let query = tls == .prefer ? "" : "?sslmode=\(tls.rawValue)"
            return "postgresql://\(user)@\(shownHost):\(port)/\(name)\(query)"
        case .unixSocket(let directory, let port):
            return "postgresql://\(user)@/\(name)?host=\(Self.percentEncode(directory, keeping: "/"))&port=\(port)"
        }
    }

    var clientConfiguration: PostgresClient.Configuration {
        switch endpoint {
        case .tcp(let host, let port):
            var configuration = PostgresClient.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: clientTLS
            )
            configuration.options.connectTimeout = .seconds(10)
            if let maximumConnections { configuration.options.maximumConnections = maximumConnections }
            return configuration
        case .unixSocket(let directory, let port):
            var configuration = PostgresClient.Configuration(
                unixSocketPath: "\(directory)/.s.PGSQL.\(port)", username: username, password: password, database: database
            )
            if let maximumConnections { configuration.options.maximumConnections = maximumConnections }
            return configuration
        }
    }

    var connectionConfiguration: PostgresConnection.Configuration {
        get throws {
            switch endpoint {
            case .tcp(let host, let port):
                var configuration = PostgresConnection.Configuration(
                    host: host, port: port, username: username, password: password, database: database, tls: try connectionTLS
                )
                configuration.options.connectTimeout = .seconds(10)
                return configuration
            case .unixSocket(let directory, let port):
                return PostgresConnection.Configuration(
                    unixSocketPath: "\(directory)/.s.PGSQL.\(port)", username: username, password: password, database: database
                )
            }
        }
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        switch tls {
        case .disable: return .disable
        case .prefer: return .prefer(tlsConfiguration)
        case .require, .verifyFull: return .require(tlsConfiguration)
        }
    }

    private var connectionTLS: PostgresConnection.Configuration.TLS {
        get throws {
            switch tls {
            case .disable: return .disable
            case .prefer: return .prefer(try NIOSSLContext(configuration: tlsConfiguration))
            case .require, .verifyFull: return .require(try NIOSSLContext(configuration: tlsConfiguration))
            }
        }
    }

    private var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if tls != .verifyFull { configuration.certificateVerification = .none }
        return configuration
    }

    /// Quotes an identifier for the few statements that cannot take a bound parameter
    /// (`CREATE DATABASE`, `DROP DATABASE`).
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func percentEncode(_ text: String, keeping kept: String = "") -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~" + kept)
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
