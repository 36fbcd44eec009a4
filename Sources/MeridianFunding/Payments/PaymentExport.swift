import Foundation
import Logging
import MeridianXML
import PostgresNIO
import MeridianPostgres

/// Exports pending payment instructions as ISO 20022 pain.001 files, in two phases, so that no
/// payment is ever in two different files.
///
/// Phase 1 is one transaction: the pending instructions are locked, the file is built and
/// validated against the published XSD, stored (`funding_payment_files`, state `prepared`) and
/// its instructions marked exported with its message id. Phase 2 delivers the stored file and
/// records it `delivered`. Delivering inside phase 1 would not do: a crash or a lost
/// connection after the delivery but before the commit left the instructions pending, and the
/// next export sent them again in a new file with a new MsgId — which the bank pays twice.
///
/// A file stored but never recorded delivered (the export stopped between its phases, or its
/// delivery failed) is delivered again by the next export — the same bytes, the same MsgId,
/// which a bank refuses as a duplicate if it already has it — before any new file is made.
/// Each call delivers one file; an empty export writes nothing.
public struct PaymentExport: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// The initiating party named in the file.
    public var initiatingParty: String

    public init(client: PostgresClient, logger: Logger, initiatingParty: String = "Meridian") {
        self.client = client
        self.logger = logger
        self.initiatingParty = initiatingParty
    }

    /// One delivered file.
    public struct Exported: Sendable {
        /// What the file carries (for a re-delivered file, read back from its stored instructions).
        public var batch: PaymentBatch
        /// The file, byte for byte as stored.
        public var xml: String
        /// `true` when the file was stored by an earlier export whose delivery was never
        /// recorded, and is delivered again with the same MsgId; no new file was made.
        public var redelivered: Bool = false
        /// Instructions still pending after this file (a re-delivery leaves them for the next export).
        public var stillPending: Int = 0
    }

    /// Delivers the oldest file stored but not recorded delivered, if there is one; otherwise
    /// makes, stores and delivers the file of the pending instructions (of one fund, with
    /// `fund`). `nil` when there is nothing to deliver.
    ///
    /// - Parameters:
    ///   - who: who exports (kept with the stored file).
    ///   - deliver: sends the file where it goes. It runs after the file is stored and its
    ///     instructions marked exported; if it throws (or the process stops), the file stays
    ///     `prepared` and the next export delivers it again, as the same file.
    public func export(now: Date = Date(), execution: CalendarDay? = nil, fund onlyFund: String? = nil, by who: String = "system",
                       deliver: (Exported) async throws -> Void = { _ in }) async throws -> Exported? {
        if let waiting = try await deliverWaiting(fund: onlyFund, deliver: deliver) {
            return waiting
        }
        guard let prepared = try await prepare(now: now, execution: execution, fund: onlyFund, by: who) else { return nil }
        return try await deliverStored(prepared, fund: onlyFund, deliver: deliver)
    }

    /// Phase 1: the pending instructions' file, stored as `prepared` with its instructions
    /// marked exported — one transaction; `nil` when nothing is pending.
    func prepare(now: Date, execution: CalendarDay?, fund onlyFund: String?, by who: String) async throws -> Exported? {
        let logger = self.logger
        let party = initiatingParty
        return try await client.transaction(logger: logger) { connection in
            let pending = try await PaymentStore.select(
                "WHERE status = 'pending' AND (\(onlyFund)::text IS NULL OR fund_id = \(onlyFund)) ORDER BY fund_id, created_at, id FOR UPDATE",
                on: connection, logger: logger)
            guard !pending.isEmpty else { return nil }
            let messageID = "MER-\(Self.stamp(now))-\(UUID().uuidString.prefix(8))"
            let batch = PaymentBatch(messageID: messageID, createdAt: now, initiatingParty: party, requestedExecution: execution ?? CalendarDay(now),
                                     groups: try await Self.groups(messageID: messageID, payments: pending, on: connection, logger: logger))
            let xml = Pain001Writer.write(batch)
            do {
                try StandardSchemas.pain001().validate(xml, what: "the pain.001 file")
            } catch {
                throw FundingError(.conflict, "the payment file did not validate, nothing was exported: \(error)")
            }
            try await PaymentFileStore.insert(batch, xml: xml, by: who, on: connection, logger: logger)
            try await connection.query("""
                UPDATE funding_payment_instructions SET status = 'exported', message_id = \(messageID), updated_at = now()
                WHERE id = ANY(\(pending.map(\.id)))
                """, logger: logger)
            return Exported(batch: batch, xml: xml)
        }
    }

    /// Phase 2 of a file just stored: delivered under the file's row lock, then recorded. A
    /// concurrent export that re-delivered it meanwhile sent the same MsgId, so delivering it
    /// here too is harmless.
    private func deliverStored(_ prepared: Exported, fund: String?, deliver: (Exported) async throws -> Void) async throws -> Exported {
        let logger = self.logger
        return try await client.transaction(logger: logger) { connection in
            guard try await PaymentFileStore.lock(prepared.batch.messageID, on: connection, logger: logger) != nil else {
                throw FundingError(.notFound, "the payment file \(prepared.batch.messageID) was stored but is gone")
            }
            var exported = prepared
            exported.stillPending = try await Self.pendingCount(fund: fund, on: connection, logger: logger)
            try await deliver(exported)
            try await PaymentFileStore.recordDelivered(exported.batch.messageID, on: connection, logger: logger)
            return exported
        }
    }

    /// Delivers again the oldest file stored but not recorded delivered, if any: the same
    /// bytes under the same MsgId, then records it delivered.
    private func deliverWaiting(fund: String?, deliver: (Exported) async throws -> Void) async throws -> Exported? {
        let logger = self.logger
        return try await client.transaction(logger: logger) { connection in
            guard let (file, xml) = try await PaymentFileStore.lockOldestWaiting(fund: fund, on: connection, logger: logger) else { return nil }
            let payments = try await PaymentStore.select("WHERE message_id = \(file.messageID) ORDER BY fund_id, created_at, id",
                                                         on: connection, logger: logger)
            let batch = PaymentBatch(messageID: file.messageID, createdAt: file.createdAt, initiatingParty: file.initiatingParty,
                                     requestedExecution: file.requestedExecution,
                                     groups: try await Self.groups(messageID: file.messageID, payments: payments, on: connection, logger: logger))
            let exported = Exported(batch: batch, xml: xml, redelivered: true,
                                    stillPending: try await Self.pendingCount(fund: fund, on: connection, logger: logger))
            logger.notice("delivering again a payment file whose delivery was never recorded", metadata: ["payment.message-id": "\(file.messageID)"])
            try await deliver(exported)
            try await PaymentFileStore.recordDelivered(file.messageID, on: connection, logger: logger)
            return exported
        }
    }

    /// One payment block per fund, in fund order, each named `MSGID-N`.
    private static func groups(messageID: String, payments: [PaymentInstruction], on connection: PostgresConnection,
                               logger: Logger) async throws -> [PaymentBatch.Group] {
        let funds = Dictionary(uniqueKeysWithValues: try await FundStore.funds(where: nil, on: connection, logger: logger).map { ($0.id, $0) })
        var groups: [PaymentBatch.Group] = []
        for (index, fundID) in Set(payments.map(\.fundID)).sorted().enumerated() {
            guard let fund = funds[fundID], let account = fund.account else {
                throw FundingError(.refused, "the fund \(fundID) has no bank account to pay from",
                                   hint: "create funds with --iban (or --account-number and --bank-code)")
            }
            groups.append(PaymentBatch.Group(paymentInformationID: "\(messageID)-\(index + 1)", debtorName: fund.name, debtorAccount: account,
                                             payments: payments.filter { $0.fundID == fundID }))
        }
        return groups
    }

    private static func pendingCount(fund: String?, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query("""
            SELECT count(*)::int8 FROM funding_payment_instructions WHERE status = 'pending' AND (\(fund)::text IS NULL OR fund_id = \(fund))
            """, logger: logger).collect()
        return Int(try rows[0].decode(Int64.self))
    }

    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}
