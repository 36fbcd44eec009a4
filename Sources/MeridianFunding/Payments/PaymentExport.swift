import Foundation
import Logging
import MeridianXML
import PostgresNIO
import MeridianPostgres

/// Exports every pending payment instruction as one pain.001 file, and marks them exported
/// with the file's message id — in one transaction, after the file validated against the
/// published XSD. An empty export writes nothing.
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

    public struct Exported: Sendable {
        public var batch: PaymentBatch
        public var xml: String
    }

    /// The file for the pending instructions (of one fund, with `fund`), or `nil` when there are none.
    ///
    /// - Parameter deliver: writes the file where it goes; it runs before the instructions are
    ///   marked exported commit, so a file that cannot be written leaves them pending.
    public func export(now: Date = Date(), execution: CalendarDay? = nil, fund onlyFund: String? = nil,
                       deliver: (Exported) throws -> Void = { _ in }) async throws -> Exported? {
        let logger = self.logger
        let party = initiatingParty
        return try await client.transaction(logger: logger) { connection in
            let pending = try await PaymentStore.select(
                "WHERE status = 'pending' AND (\(onlyFund)::text IS NULL OR fund_id = \(onlyFund)) ORDER BY fund_id, created_at, id FOR UPDATE",
                on: connection, logger: logger)
            guard !pending.isEmpty else { return nil }
            let funds = Dictionary(uniqueKeysWithValues: try await FundStore.funds(where: nil, on: connection, logger: logger).map { ($0.id, $0) })
            let stamp = Self.stamp(now)
            let messageID = "MER-\(stamp)-\(UUID().uuidString.prefix(8))"
            var groups: [PaymentBatch.Group] = []
            for (index, fundID) in Set(pending.map(\.fundID)).sorted().enumerated() {
                guard let fund = funds[fundID], let account = fund.account else {
                    throw FundingError(.refused, "the fund \(fundID) has no bank account to pay from",
                                       hint: "create funds with --iban (or --account-number and --bank-code)")
                }
                groups.append(PaymentBatch.Group(paymentInformationID: "\(messageID)-\(index + 1)", debtorName: fund.name, debtorAccount: account,
                                                 payments: pending.filter { $0.fundID == fundID }))
            }
            let batch = PaymentBatch(messageID: messageID, createdAt: now, initiatingParty: party,
                                     requestedExecution: execution ?? CalendarDay(now), groups: groups)
            let xml = Pain001Writer.write(batch)
            do {
                try StandardSchemas.pain001().validate(xml, what: "the pain.001 file")
            } catch {
                throw FundingError(.conflict, "the payment file did not validate, nothing was exported: \(error)")
            }
            try await connection.query("""
                UPDATE funding_payment_instructions SET status = 'exported', message_id = \(messageID), updated_at = now()
                WHERE id = ANY(\(pending.map(\.id)))
                """, logger: logger)
            let exported = Exported(batch: batch, xml: xml)
            try deliver(exported)
            return exported
        }
    }

    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}
