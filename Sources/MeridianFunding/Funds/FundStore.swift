import MeridianCodes
import Foundation
import Logging
import PostgresNIO
import MeridianPostgres

/// Creates, reads and credits trust funds.
public struct FundStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Stores a new fund; refuses an id already taken.
    public func create(_ fund: Fund) async throws {
        guard fund.id.range(of: "^[a-z0-9][a-z0-9-]{0,62}$", options: .regularExpression) != nil else {
            throw FundingError(.invalidInput, "'\(fund.id)' is not a fund id", hint: "use lowercase letters, digits and dashes, such as rapid-response")
        }
        _ = try FundingText.check(fund.name, field: "the fund's name", maximum: 200)
        for donor in fund.donors { _ = try FundingText.check(donor, field: "a donor", maximum: 200) }
        if fund.maxGrant.minorUnits == 0, Fund.defaultMaxGrant(fund.currency) == nil {
            throw FundingError(.invalidInput, "a fund in \(fund.currency) needs its own maximum grant: the default of 150,000 USD is not converted",
                               hint: "give --max-grant in \(fund.currency), such as --max-grant \"20,000,000 \(fund.currency)\"")
        }
        guard fund.maxGrant.currency == fund.currency, fund.maxGrant.minorUnits > 0 else {
            throw FundingError(.invalidInput, "the maximum grant must be a positive amount in \(fund.currency)")
        }
        try fund.mandate.validate()
        let mandate = fund.mandate
        let rows = try await client.query("""
            INSERT INTO funding_funds (id, name, currency, donors, max_grant_minor, account_iban, account_number, bank_code, bic, created_by,
                                       mandate_sectors, mandate_countries, mandate_instruments, mandate_from, mandate_until, self_confirmation)
            VALUES (\(fund.id), \(fund.name), \(fund.currency.code), \(fund.donors), \(fund.maxGrant.minorUnits), \(fund.account?.iban),
                    \(fund.account?.accountNumber), \(fund.account?.bankCode), \(fund.account?.bic), \(fund.createdBy),
                    \(mandate.sectors), \(mandate.countries), \(mandate.instruments), \(mandate.from?.description)::date,
                    \(mandate.until?.description)::date, \(fund.allowsSelfConfirmation))
            ON CONFLICT (id) DO NOTHING
            RETURNING id
            """, logger: logger).collect()
        guard !rows.isEmpty else {
            throw FundingError(.conflict, "a fund with the id '\(fund.id)' exists already", hint: "choose another id, or see meridian fund show \(fund.id)")
        }
    }

    public func list() async throws -> [Fund] {
        try await Self.funds(where: nil, on: client, logger: logger)
    }

    public func fund(_ id: String) async throws -> Fund {
        guard let fund = try await Self.funds(where: id, on: client, logger: logger).first else {
            throw FundingError(.notFound, "no fund has the id '\(id)'", hint: "see meridian fund list")
        }
        return fund
    }

    /// Every fund, read on the caller's connection (inside its transaction).
    public static func all(on connection: PostgresConnection, logger: Logger) async throws -> [Fund] {
        try await funds(where: nil, on: connection, logger: logger)
    }

    static func funds(where id: String?, on runner: some PostgresQueryRunner, logger: Logger) async throws -> [Fund] {
        let rows = try await runner.collectRows("""
            SELECT id, name, currency, donors, max_grant_minor, account_iban, account_number, bank_code, bic, created_by, created_at,
                   mandate_sectors, mandate_countries, mandate_instruments, mandate_from::text, mandate_until::text, self_confirmation
            FROM funding_funds WHERE \(id)::text IS NULL OR id = \(id) ORDER BY id
            """, logger: logger)
        return try rows.map { row in
            let (id, name, code, donors, maxGrant, iban, number, bankCode, bic, createdBy, createdAt) =
                try row.decode((String, String, String, [String], Int64, String?, String?, String?, String?, String, Date).self)
            let cells = row.makeRandomAccess()
            let mandate = FundMandate(sectors: try cells[11].decode([String].self), countries: try cells[12].decode([String].self),
                                      instruments: try cells[13].decode([String].self),
                                      from: try cells[14].decode(String?.self).map { try CalendarDay($0) },
                                      until: try cells[15].decode(String?.self).map { try CalendarDay($0) })
            let currency = try Currency.named(code)
            let account = iban != nil || number != nil ? BankAccount(iban: iban, accountNumber: number, bankCode: bankCode, bic: bic) : nil
            return Fund(id: id, name: name, currency: currency, donors: donors, maxGrant: Money(minorUnits: maxGrant, currency: currency),
                        account: account, mandate: mandate, allowsSelfConfirmation: try cells[16].decode(Bool.self),
                        createdBy: createdBy, createdAt: createdAt)
        }
    }

    /// A donor's contribution, as recorded.
    public struct Contribution: Sendable, Hashable {
        public var transactionID: Int64
        public var fundID: String
        public var donor: String
        public var amount: Money
        public var receivedOn: CalendarDay
        public var reference: String
        /// `true` when the same contribution (same reference, donor and amount) was recorded before.
        public var replayed: Bool
    }

    /// Records money received from a donor, in one transaction with its ledger movement.
    ///
    /// The reference (the bank's, or the donor agreement's) is unique per fund: recording it
    /// again with the same donor and amount is a no-op; with other values it is refused.
    public func contribute(fund id: String, donor: String, amount: Money, receivedOn: CalendarDay, reference: String,
                           actorID: String) async throws -> Contribution {
        let fund = try await fund(id)
        guard amount.currency == fund.currency else {
            throw FundingError(.invalidInput, "the fund \(id) is kept in \(fund.currency), not \(amount.currency)", hint: "Meridian does not convert currencies")
        }
        guard amount.minorUnits > 0 else { throw FundingError(.invalidInput, "a contribution must be more than zero") }
        _ = try FundingText.check(donor, field: "the donor", maximum: 200)
        _ = try FundingText.check(reference, field: "the reference", maximum: 140)
        let logger = self.logger
        return try await client.transaction(logger: logger) { connection in
            // Contributions to one fund take turns on its row: a concurrent retry of the same
            // reference then finds the first one, and a new donor is listed once.
            let locked = try await connection.query("SELECT donors FROM funding_funds WHERE id = \(id) FOR NO KEY UPDATE", logger: logger).collect()
            let donors = try locked.first?.decode([String].self) ?? []
            let existing = try await connection.query("""
                SELECT transaction_id, donor, amount_minor, received_on::text FROM funding_contributions
                WHERE fund_id = \(id) AND reference = \(reference)
                """, logger: logger).collect()
            if let row = existing.first {
                let (transaction, knownDonor, knownAmount, day) = try row.decode((Int64, String, Int64, String).self)
                guard knownDonor == donor, knownAmount == amount.minorUnits else {
                    throw FundingError(.conflict, "the reference '\(reference)' was recorded for \(knownDonor), \(Money(minorUnits: knownAmount, currency: fund.currency))",
                                       hint: "each contribution needs its own reference")
                }
                return Contribution(transactionID: transaction, fundID: id, donor: donor, amount: amount, receivedOn: try CalendarDay(day),
                                    reference: reference, replayed: true)
            }
            let stored = try await Ledger.post(Posting(fundID: id, kind: .contribution, amount: amount, valueDate: receivedOn,
                                                       reference: reference, actorID: actorID), on: connection, logger: logger)
            try await connection.query("""
                INSERT INTO funding_contributions (transaction_id, fund_id, donor, amount_minor, currency, received_on, reference)
                VALUES (\(stored.transactionID), \(id), \(donor), \(amount.minorUnits), \(amount.currency.code), \(receivedOn.description)::date, \(reference))
                """, logger: logger)
            if !donors.contains(donor) {
                try await connection.query("UPDATE funding_funds SET donors = array_append(donors, \(donor)) WHERE id = \(id)", logger: logger)
            }
            return Contribution(transactionID: stored.transactionID, fundID: id, donor: donor, amount: amount, receivedOn: receivedOn,
                                reference: reference, replayed: false)
        }
    }
}
