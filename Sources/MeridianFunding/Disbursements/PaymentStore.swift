import MeridianCodes
import Foundation
import Logging
import PostgresNIO

/// Reads and writes payment instructions, always on the caller's connection or client.
public enum PaymentStore {
    static let columns = """
        id, end_to_end_id, grant_id, fund_id, instalment, beneficiary, iban, account_number, bank_code, bic, amount_minor, currency,
        reference, status, failure_reason, message_id, disbursed_by, created_at, updated_at
        """

    static func insert(_ instruction: PaymentInstruction, idempotencyKey: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO funding_payment_instructions (id, end_to_end_id, grant_id, fund_id, instalment, beneficiary, iban, account_number,
                bank_code, bic, amount_minor, currency, reference, status, disbursed_by, idempotency_key)
            VALUES (\(instruction.id), \(instruction.endToEndID), \(instruction.grantID), \(instruction.fundID), \(instruction.instalment),
                    \(instruction.beneficiary), \(instruction.account.iban), \(instruction.account.accountNumber), \(instruction.account.bankCode),
                    \(instruction.account.bic), \(instruction.amount.minorUnits), \(instruction.amount.currency.code), \(instruction.reference),
                    \(instruction.status.rawValue), \(instruction.disbursedBy), \(idempotencyKey))
            """, logger: logger)
    }

    /// Releases the grant's prepared instruction for payment: committed → in-payment, status pending.
    @discardableResult
    static func release(grant: UUID, actorID: String, at now: Date, on connection: PostgresConnection, logger: Logger) async throws -> PaymentInstruction {
        let prepared = try await select("WHERE grant_id = \(grant) AND status = 'prepared' ORDER BY created_at DESC LIMIT 1 FOR UPDATE",
                                        on: connection, logger: logger)
        guard let instruction = prepared.first else {
            throw FundingError(.conflict, "the grant \(grant.short) has no payment instruction to release",
                               hint: "disburse with `meridian disburse GRANT --beneficiary … --iban …`, which fires the event with the payment details")
        }
        try await Ledger.post(Posting(fundID: instruction.fundID, kind: .paymentInstruction, amount: instruction.amount,
                                      valueDate: CalendarDay(now), reference: instruction.endToEndID, actorID: actorID, grantID: grant,
                                      idempotencyKey: "instruction:\(instruction.id.uuidString.lowercased())"), on: connection, logger: logger)
        try await connection.query("""
            UPDATE funding_payment_instructions SET status = 'pending', updated_at = now() WHERE id = \(instruction.id)
            """, logger: logger)
        var released = instruction
        released.status = .pending
        return released
    }

    static func instruction(idempotencyKey key: String, on runner: some PostgresQueryRunner, logger: Logger) async throws -> PaymentInstruction? {
        try await select("WHERE idempotency_key = \(key)", on: runner, logger: logger).first
    }

    static func liveInstruction(grant: UUID, instalment: Int, on runner: some PostgresQueryRunner, logger: Logger) async throws -> PaymentInstruction? {
        try await select("WHERE grant_id = \(grant) AND instalment = \(instalment) AND status <> 'failed'", on: runner, logger: logger).first
    }

    static func unpaidEarlierInstalments(grant: UUID, before instalment: Int, on runner: some PostgresQueryRunner, logger: Logger) async throws -> [Int] {
        let paid = Set(try await select("WHERE grant_id = \(grant) AND status = 'paid'", on: runner, logger: logger).map(\.instalment))
        return (1..<instalment).filter { !paid.contains($0) }
    }

    /// Instructions of a grant, or with a status, or all; oldest first.
    public static func list(grant: UUID? = nil, status: PaymentInstruction.Status? = nil, client: PostgresClient, logger: Logger) async throws -> [PaymentInstruction] {
        try await select("WHERE (\(grant)::uuid IS NULL OR grant_id = \(grant)) AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue)) ORDER BY created_at, id",
                         on: client, logger: logger)
    }

    /// The instruction whose id, or end-to-end id, or id prefix (8+ hex digits) is `text`.
    public static func find(_ text: String, client: PostgresClient, logger: Logger) async throws -> PaymentInstruction {
        let lowered = text.lowercased()
        let found = try await select("WHERE end_to_end_id = \(text.uppercased()) OR id::text = \(lowered) OR (length(\(lowered)) >= 8 AND id::text LIKE \(lowered) || '%')",
                                     on: client, logger: logger)
        guard found.count == 1 else {
            throw FundingError(found.isEmpty ? .notFound : .invalidInput,
                               found.isEmpty ? "no payment instruction matches '\(text)'" : "'\(text)' matches \(found.count) instructions",
                               hint: "see meridian payments list")
        }
        return found[0]
    }

    static func select(_ condition: PostgresQuery, on runner: some PostgresQueryRunner, logger: Logger) async throws -> [PaymentInstruction] {
        var query = PostgresQuery(unsafeSQL: "SELECT \(columns) FROM funding_payment_instructions ")
        query.sql += condition.sql
        query.binds = condition.binds
        let rows = try await runner.collectRows(query, logger: logger)
        return try rows.map(decode)
    }

    static func decode(_ row: PostgresRow) throws -> PaymentInstruction {
        let (id, e2e, grant, fund, instalment, beneficiary, iban, number, bankCode, bic) =
            try row.decode((UUID, String, UUID, String, Int, String, String?, String?, String?, String?).self)
        let cells = row.makeRandomAccess()
        let amount = try cells[10].decode(Int64.self)
        let currency = try cells[11].decode(String.self)
        let reference = try cells[12].decode(String.self)
        let status = try cells[13].decode(String.self)
        let reason = try cells[14].decode(String?.self)
        let message = try cells[15].decode(String?.self)
        let by = try cells[16].decode(String.self)
        let created = try cells[17].decode(Date.self)
        let updated = try cells[18].decode(Date.self)
        return PaymentInstruction(
            id: id, endToEndID: e2e, grantID: grant, fundID: fund, instalment: instalment, beneficiary: beneficiary,
            account: BankAccount(iban: iban, accountNumber: number, bankCode: bankCode, bic: bic), amount: try Money(minorUnits: amount, code: currency),
            reference: reference, status: PaymentInstruction.Status(rawValue: status) ?? .pending, failureReason: reason, messageID: message,
            disbursedBy: by, createdAt: created, updatedAt: updated)
    }
}
