import Foundation
import Logging
import PostgresNIO

/// Reads and writes the stored payment files (`funding_payment_files`, migration 0016).
public enum PaymentFileStore {
    static let columns = """
        message_id, format, fund_ids, payments, control_sum, initiating_party, requested_execution::text, created_by, created_at,
        state, delivered_at, deliveries
        """

    /// Stores a new file as `prepared`, in the transaction that marks its instructions exported.
    static func insert(_ batch: PaymentBatch, xml: String, by who: String, on connection: PostgresConnection, logger: Logger) async throws {
        let funds = Array(Set(batch.payments.map(\.fundID))).sorted()
        try await connection.query("""
            INSERT INTO funding_payment_files (message_id, format, xml, fund_ids, payments, control_sum, initiating_party,
                requested_execution, created_by, created_at, state)
            VALUES (\(batch.messageID), 'pain.001.001.03', \(xml), \(funds), \(batch.payments.count),
                    \(PaymentBatch.controlSum(batch.payments.map(\.amount))), \(batch.initiatingParty),
                    \(batch.requestedExecution.description)::date, \(who), \(batch.createdAt), 'prepared')
            """, logger: logger)
    }

    /// Records a delivery of a locked file: the first one sets `delivered_at`, each one counts.
    static func recordDelivered(_ messageID: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            UPDATE funding_payment_files
            SET state = 'delivered', delivered_at = coalesce(delivered_at, now()), deliveries = deliveries + 1
            WHERE message_id = \(messageID)
            """, logger: logger)
    }

    /// Locks the file `messageID` for its delivery, with its stored bytes.
    static func lock(_ messageID: String, on connection: PostgresConnection, logger: Logger) async throws -> (file: PaymentFile, xml: String)? {
        try await select("WHERE message_id = \(messageID) FOR UPDATE", on: connection, logger: logger).first
    }

    /// The oldest file stored but not recorded delivered (paying from `fund`, when given) that no
    /// other export is delivering right now, locked, with its bytes.
    static func lockOldestWaiting(fund: String?, on connection: PostgresConnection, logger: Logger) async throws -> (file: PaymentFile, xml: String)? {
        try await select("""
            WHERE state = 'prepared' AND (\(fund)::text IS NULL OR \(fund) = ANY(fund_ids))
            ORDER BY created_at, message_id LIMIT 1 FOR UPDATE SKIP LOCKED
            """, on: connection, logger: logger).first
    }

    /// Stored files, newest first; only those in `state` when given.
    public static func list(state: PaymentFile.State? = nil, client: PostgresClient, logger: Logger) async throws -> [PaymentFile] {
        try await select("WHERE (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue)) ORDER BY created_at DESC, message_id",
                         withXML: false, on: client, logger: logger).map(\.file)
    }

    /// The stored file with message id `messageID`, and its bytes exactly as they were (or will be) delivered.
    public static func find(_ messageID: String, client: PostgresClient, logger: Logger) async throws -> (file: PaymentFile, xml: String) {
        guard let found = try await select("WHERE message_id = \(messageID)", on: client, logger: logger).first else {
            throw FundingError(.notFound, "no payment file has the message id '\(messageID)'",
                               hint: "see `meridian payments files` for the files Meridian kept (files exported before they were kept are not there)")
        }
        return found
    }

    /// Rows matching `condition`; the bytes are read only `withXML` (a listing needs none).
    private static func select(_ condition: PostgresQuery, withXML: Bool = true, on runner: some PostgresQueryRunner,
                               logger: Logger) async throws -> [(file: PaymentFile, xml: String)] {
        var query = PostgresQuery(unsafeSQL: "SELECT \(columns), \(withXML ? "xml" : "''") FROM funding_payment_files ")
        query.sql += condition.sql
        query.binds = condition.binds
        return try await runner.collectRows(query, logger: logger).map(decode)
    }

    private static func decode(_ row: PostgresRow) throws -> (file: PaymentFile, xml: String) {
        let (messageID, format, funds, payments, controlSum, party, execution, by, created) =
            try row.decode((String, String, [String], Int, String, String, String, String, Date).self)
        let cells = row.makeRandomAccess()
        let state = try cells[9].decode(String.self)
        let delivered = try cells[10].decode(Date?.self)
        let deliveries = try cells[11].decode(Int.self)
        let xml = try cells[12].decode(String.self)
        let file = PaymentFile(messageID: messageID, format: format, fundIDs: funds, payments: payments, controlSum: controlSum,
                               initiatingParty: party, requestedExecution: try CalendarDay(execution), createdBy: by, createdAt: created,
                               state: PaymentFile.State(rawValue: state) ?? .prepared, deliveredAt: delivered, deliveries: deliveries)
        return (file, xml)
    }
}
