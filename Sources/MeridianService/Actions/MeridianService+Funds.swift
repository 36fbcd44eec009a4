import MeridianCodes
import Foundation
import MeridianFunding
import MeridianIdentity

/// Trust funds: creation, donors' contributions, statements.
///
/// Funds are the facility's books: staff read them; admins and finance officers change them.
extension MeridianService {
    static let fundReaders: Set<Role> = [.programManager, .fundApprover, .financeOfficer, .supervisor, .admin]

    /// Creates a fund; the caller is recorded as its creator.
    public func createFund(_ fund: Fund, by caller: Caller) async throws {
        try caller.require(anyOf: [.admin, .financeOfficer], to: "creating a fund")
        var fund = fund
        fund.createdBy = caller.handle
        try await FundStore(client: client, logger: logger).create(fund)
    }

    public func funds(by caller: Caller) async throws -> [Fund] {
        try caller.require(anyOf: Self.fundReaders, to: "reading funds")
        return try await FundStore(client: client, logger: logger).list()
    }

    public func fund(_ id: String, by caller: Caller) async throws -> Fund {
        try caller.require(anyOf: Self.fundReaders, to: "reading funds")
        return try await FundStore(client: client, logger: logger).fund(id)
    }

    /// The fund's statement as of the end of `day`, read at one snapshot.
    public func statement(fund id: String, asOf day: CalendarDay, by caller: Caller) async throws -> FundStatement {
        try caller.require(anyOf: Self.fundReaders, to: "reading fund statements")
        return try await FundStatement.read(fund: id, asOf: day, client: client, logger: logger)
    }

    /// Who may replay the ledger against its balances: the finance officers who keep the books,
    /// and those who audit them (supervisors, admins — who also verify the history's chain).
    /// Program managers and fund approvers read statements, not the whole ledger's accounts.
    static let ledgerVerifiers: Set<Role> = [.financeOfficer, .supervisor, .admin]

    /// Replays the ledger (one fund's, or every fund's) from its entries and compares every
    /// stored balance: a report, intact or with its discrepancies.
    public func verifyLedger(fund id: String? = nil, by caller: Caller) async throws -> LedgerVerifier.Report {
        try caller.require(anyOf: Self.ledgerVerifiers, to: "verifying the ledger")
        return try await LedgerVerifier.verify(fund: id, client: client, logger: logger)
    }

    /// Records a donor's contribution with its ledger movement.
    public func contribute(fund id: String, donor: String, amount: Money, receivedOn: CalendarDay, reference: String,
                           by caller: Caller) async throws -> FundStore.Contribution {
        try caller.require(anyOf: [.financeOfficer, .admin], to: "recording a contribution")
        return try await FundStore(client: client, logger: logger)
            .contribute(fund: id, donor: donor, amount: amount, receivedOn: receivedOn, reference: reference, actorID: caller.handle)
    }
}
