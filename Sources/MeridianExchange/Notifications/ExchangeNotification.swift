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
            SELECT \(unescaped: aggregate(of: "x.id")) FROM (SELECT \(exchange)::uuid AS id) x
            """, logger: logger).collect()
        return try ChildRows.decode(Columns.self, from: try rows.first?.decode(String?.self)).map(\.notification)
    }

    /// The notifications of `exchange` (an SQL expression), oldest first, as ``ChildRows`` of
    /// ``Columns``: a column of the exchange's view.
    static func aggregate(of exchange: String) -> String {
        """
        (SELECT json_agg(json_build_array(task, recipient_role, recipient_country, message, \(ChildRows.timestamp("created_at"))) ORDER BY id)::text
         FROM exchange_notifications WHERE exchange_id = \(exchange))
        """
    }

    /// A notification of ``aggregate(of:)``.
    struct Columns: Decodable {
        var notification: ExchangeNotification

        init(from decoder: any Decoder) throws {
            var columns = try decoder.unkeyedContainer()
            notification = ExchangeNotification(task: try columns.decode(String.self), recipientRole: try columns.decode(String.self),
                                                recipientCountry: try columns.decodeIfPresent(String.self),
                                                message: try columns.decode(String.self), createdAt: try columns.decodeTimestamp())
        }
    }
}
