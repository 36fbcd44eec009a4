import Foundation
import Logging
import PostgresNIO

/// A message a notification or reminder task left for the people holding a role (of one
/// country, for officials) on an exchange: what `exchange show` lists. Meridian sends no
/// e-mail; this row is the notification.
public struct ExchangeNotification: Sendable, Codable, Equatable {
    public var task: String
    public var recipientRole: String
    /// For `official` and `partner-official`: whose officials; `nil` for staff roles.
    public var recipientCountry: String?
    public var message: String
    public var createdAt: Date

    public init(task: String, recipientRole: String, recipientCountry: String?, message: String, createdAt: Date) {
        self.task = task
        self.recipientRole = recipientRole
        self.recipientCountry = recipientCountry
        self.message = message
        self.createdAt = createdAt
    }
}

enum NotificationStore {
    /// Writes `notification`; a retried job (same `jobID` and recipient role) writes nothing again.
    static func write(_ notification: ExchangeNotification, exchange: UUID, jobID: Int64?,
                      on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO exchange_notifications (exchange_id, job_id, task, recipient_role, recipient_country, message, created_at)
            VALUES (\(exchange), \(jobID), \(notification.task), \(notification.recipientRole), \(notification.recipientCountry),
                    \(notification.message), \(notification.createdAt))
            ON CONFLICT (job_id, recipient_role) DO NOTHING
            """, logger: logger)
    }

    static func list(_ exchange: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [ExchangeNotification] {
        let rows = try await connection.query("""
            SELECT task, recipient_role, recipient_country, message, created_at FROM exchange_notifications
            WHERE exchange_id = \(exchange) ORDER BY id
            """, logger: logger).collect()
        return try rows.map { row in
            let (task, role, country, message, at) = try row.decode((String, String, String?, String, Date).self)
            return ExchangeNotification(task: task, recipientRole: role, recipientCountry: country, message: message, createdAt: at)
        }
    }
}
