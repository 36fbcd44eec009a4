import PostgresNIO

/// Why the PostgreSQL server refused a statement: its SQLSTATE code and message, so a test of
/// a database guard asserts that the guard itself refused — not a typo in the test's SQL, a
/// lost connection or any other error.
///
/// ```swift
/// let refusal = await ServerRefusal.of { try await client.query("DELETE FROM engine_history", logger: logger) }
/// #expect(refusal?.sqlState == "42501" && refusal?.message.contains("append-only") == true)
/// ```
public struct ServerRefusal: Sendable, Equatable, CustomStringConvertible {
    /// The five-character SQLSTATE (`23514` check_violation, `42501` insufficient_privilege, …).
    public var sqlState: String
    /// The server's primary message.
    public var message: String

    public var description: String { "\(sqlState): \(message)" }

    public init(sqlState: String, message: String) {
        self.sqlState = sqlState
        self.message = message
    }

    /// Runs `body` and returns the server's refusal, or `nil` when it succeeded or failed in
    /// another way (then the caller's `#expect` on the result fails, naming what happened).
    public static func of(_ body: () async throws -> Void) async -> ServerRefusal? {
        do {
            try await body()
            return nil
        } catch {
            return from(error)
        }
    }

    /// The server's refusal inside `error` (also when a transaction wraps it), if it is one.
    public static func from(_ error: any Error) -> ServerRefusal? {
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
            return ServerRefusal(sqlState: state, message: error.serverInfo?[.message] ?? "")
        }
        if let error = error as? PostgresTransactionError {
            for inner in [error.closureError, error.beginError, error.commitError, error.rollbackError].compactMap({ $0 }) {
                if let refusal = from(inner) { return refusal }
            }
        }
        return nil
    }
}
