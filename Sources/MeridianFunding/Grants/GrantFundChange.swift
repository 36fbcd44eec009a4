import MeridianCodes
import Foundation
import Logging
import PostgresNIO

extension GrantStore {
    /// Moves a requested grant to another fund: the program manager's choice at funding review.
    ///
    /// Runs on the caller's connection (the exchange module's transaction, which has checked
    /// the fund's mandate against the exchange and holds the instance's lock). Refused when
    /// the grant is no longer requested, when an approver has already voted on it (the vote
    /// was for the other fund: reject the grant instead), when the fund is kept in another
    /// currency or grants less than the amount. The grant row keeps the latest choice and
    /// `funding_fund_choices` every change, with who made it and why.
    @discardableResult
    public static func changeFund(instance: UUID, to fund: Fund, by actorID: String, reason: String,
                                  on connection: PostgresConnection, logger: Logger) async throws -> Grant {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw FundingError(.invalidInput, "choosing a grant's fund needs a reason of 1 to 500 characters", hint: "give --reason")
        }
        let grant = try await locked(instance: instance, on: connection, logger: logger)
        guard grant.status == .requested else {
            throw FundingError(.conflict, "the grant \(grant.id.short) is \(grant.status.rawValue); its fund is chosen while it is requested, at funding review")
        }
        guard grant.fundID != fund.id else {
            throw FundingError(.conflict, "the grant \(grant.id.short) is already asked from \(fund.id); nothing changed")
        }
        let duties = try await GrantDuties.read(instance: instance, on: connection, logger: logger)
        guard duties.currentGrantApprovers.isEmpty else {
            throw FundingError(.conflict, "\(duties.currentGrantApprovers.sorted().joined(separator: ", ")) already voted for the grant from \(grant.fundID); its fund can no longer change",
                               hint: "reject the grant and have the plan resubmitted naming \(fund.id)")
        }
        try refusalToPay(grant.amount, from: fund)
        try await connection.query("""
            INSERT INTO funding_fund_choices (grant_id, from_fund, to_fund, chosen_by, reason)
            VALUES (\(grant.id), \(grant.fundID), \(fund.id), \(actorID), \(reason))
            """, logger: logger)
        try await connection.query("""
            UPDATE funding_grants SET fund_id = \(fund.id), fund_chosen_by = \(actorID), fund_chosen_how = 'funding-review',
                   fund_chosen_at = now(), fund_reason = \(reason), updated_at = now()
            WHERE id = \(grant.id)
            """, logger: logger)
        return try await self.grant(grant.id, on: connection, logger: logger)
    }

    /// Throws when `fund` cannot make a grant of `amount`: another currency, or more than its maximum.
    public static func refusalToPay(_ amount: Money, from fund: Fund) throws(FundingError) {
        guard amount.currency == fund.currency else {
            throw FundingError(.refused, "the fund \(fund.id) is kept in \(fund.currency) and the grant is \(amount)",
                               hint: "choose a fund kept in \(amount.currency); Meridian does not convert currencies")
        }
        guard amount.minorUnits <= fund.maxGrant.minorUnits else {
            throw FundingError(.refused, "the grant of \(amount) is more than the \(fund.maxGrant) a grant from \(fund.id) may be",
                               hint: "choose another fund, or reduce the budget")
        }
    }
}
