import Foundation
import Logging
import MeridianEngine
import PostgresNIO

/// `archive-exchange`: keeps the closed exchange's whole record (request, matches, partners,
/// plan versions, reports, notifications) as one JSON document, as it stood when it closed.
enum ArchiveExchangeTask {
    static func run(_ input: TaskInput, context: TaskContext, logger: Logger) async throws -> TaskResult {
        try await context.transaction(logger: logger) { connection in
            let view = try await ExchangeView.read(input.instanceID, on: connection, logger: logger)
            try await connection.query("""
                INSERT INTO exchange_archive (exchange_id, record, archived_at)
                VALUES (\(input.instanceID), \(try JSONText.encode(view))::jsonb, \(input.now))
                ON CONFLICT (exchange_id) DO NOTHING
                """, logger: logger)
        }
        return .done
    }
}
