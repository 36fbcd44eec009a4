import Foundation
import Logging
import MeridianEngine
import PostgresNIO

/// `archive-exchange`: keeps the closed exchange's whole record (request, matches, partners,
/// plan versions, reports, notifications, and the conversation with its attachments'
/// descriptions and checksums) as one JSON document, as it stood when it closed.
enum ArchiveExchangeTask {
    static func run(_ input: TaskInput, context: TaskContext, logger: Logger) async throws -> TaskResult {
        try await context.transaction(logger: logger) { connection in
            let record = ArchivedRecord(view: try await ExchangeView.read(input.instanceID, on: connection, logger: logger),
                                        conversation: try await Exchanges.conversation(input.instanceID, on: connection, logger: logger))
            try await connection.query("""
                INSERT INTO exchange_archive (exchange_id, record, archived_at)
                VALUES (\(input.instanceID), \(try JSONText.encode(record))::jsonb, \(input.now))
                ON CONFLICT (exchange_id) DO NOTHING
                """, logger: logger)
        }
        return .done
    }
}

/// The archived document: the exchange's view, field for field, with a `conversation` member.
/// The attachments' bytes stay in their append-only table; the record names each by its
/// SHA-256, so a copy of a file can be checked against it.
struct ArchivedRecord: Encodable {
    let view: ExchangeView
    let conversation: [ConversationMessage]

    private enum Key: String, CodingKey { case conversation }

    func encode(to encoder: any Encoder) throws {
        try view.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(conversation, forKey: .conversation)
    }
}
