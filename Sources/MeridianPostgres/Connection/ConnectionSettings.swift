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
    /// How long one connection attempt may take, socket and login together (the URL's
    /// `connect_timeout`; default 10 s). A command never waits longer for a server that
    /// does not answer.
    public var connectTimeout: Duration = Self.defaultConnectTimeout
    /// The server-side limit of one statement (`statement_timeout`); `nil` leaves the
    /// server's own setting (none by default).
    public var statementTimeout: Duration?
    /// What `pg_stat_activity` shows for these connections (the URL's `application_name`).
    public var applicationName: String = "meridian"

    /// 10 s, libpq's advice for interactive tools.
    public static let defaultConnectTimeout: Duration = .seconds(10)

    public init(endpoint: Endpoint, username: String, password: String?, database: String, tls: TLSMode) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// The parameters sent at login: the application's name and the statement timeout.
    var startupParameters: [(String, String)] {
        var parameters = [("application_name", applicationName)]
        if let statementTimeout {
            let milliseconds = Self.nanoseconds(statementTimeout) / 1_000_000
            parameters.append(("statement_timeout", "\(milliseconds)"))
        }
        return parameters
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
            configuration.options.connectTimeout = connectTimeout
            configuration.options.additionalStartupParameters = startupParameters
            if let maximumConnections { configuration.options.maximumConnections = maximumConnections }
            return configuration
        case .unixSocket(let directory, let port):
            var configuration = PostgresClient.Configuration(
                unixSocketPath: "\(directory)/.s.PGSQL.\(port)", username: username, password: password, database: database
            )
            configuration.options.connectTimeout = connectTimeout
            configuration.options.additionalStartupParameters = startupParameters
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
                configuration.options.connectTimeout = .nanoseconds(Self.nanoseconds(connectTimeout))
                configuration.options.additionalStartupParameters = startupParameters
                return configuration
            case .unixSocket(let directory, let port):
                var configuration = PostgresConnection.Configuration(
                    unixSocketPath: "\(directory)/.s.PGSQL.\(port)", username: username, password: password, database: database
                )
                configuration.options.connectTimeout = .nanoseconds(Self.nanoseconds(connectTimeout))
                configuration.options.additionalStartupParameters = startupParameters
                return configuration
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

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
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
