import Logging
import PostgresNIO

extension PostgresClient {
    /// `withTransaction`, but the closure's own error comes out as thrown (not wrapped in
    /// `PostgresTransactionError`), so callers can tell an `EngineError` from a database failure.
    ///
    /// Domain modules use it to write their rows and an instance's step in one transaction
    /// (``WorkflowEngine/fire(_:on:)``, ``WorkflowEngine/start(workflow:version:context:actor:id:on:)``).
    public func engineTransaction<Result: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> Result {
        do {
            return try await withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError { throw closureError }
            throw error
        }
    }
}

extension PSQLError {
    /// The SQLSTATE of a server error, if this is one.
    var sqlState: String? { serverInfo?[.sqlState] }
}
