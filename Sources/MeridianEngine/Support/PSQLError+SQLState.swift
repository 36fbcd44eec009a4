import Logging
import PostgresNIO

extension PSQLError {
    /// The SQLSTATE of a server error, if this is one.
    var sqlState: String? { serverInfo?[.sqlState] }
}
