import MeridianCodes
import PostgresNIO

/// Tells a database that cannot be reached — down, starting, shutting down, restarting, out
/// of connections — from a database that answered "no", so commands exit 69 with one clear
/// line and workers wait and retry instead of giving up.
public enum DatabaseUnavailable {
    /// Whether `error` says the server could not be reached or is going away.
    public static func isUnavailable(_ error: any Error) -> Bool {
        if let error = error as? DatabaseError {
            return [.clusterNotRunning, .clusterFailed, .timedOut].contains(error.code)
        }
        if let error = error as? PSQLError {
            switch error.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .poolClosed, .sslUnsupported, .failedToAddSSLHandler:
                return true
            case .clientClosedConnection:
                // A statement pending when the connection closed, such as after the server's FATAL
                // "terminating connection due to administrator command" (a fast shutdown).
                return true
            case .server:
                // 08: connection exceptions; 57P01-57P03: shutting down, crashed, not yet accepting; 53300: too many connections.
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300"
            default:
                return false
            }
        }
        let name = String(reflecting: type(of: error))
        return name.contains("ConnectionPoolError") || name.contains("ChannelError") || name.contains("IOError")
            || name.contains("NIOConnectionError")
    }

    /// The server's own words when it gave any, else a short name of what failed.
    public static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.description }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying as? PSQLError { return reason(underlying) }
            if let underlying = error.underlying { return "\(underlying)" }
            return "the connection failed (\(error.code))"
        }
        return "\(error)"
    }
}
