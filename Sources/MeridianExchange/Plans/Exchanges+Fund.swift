import Foundation
import Logging
import MeridianFunding
import PostgresNIO

extension Exchanges {
    /// The program manager names (or changes) the fund that pays an exchange's grant, at
    /// funding review, before any approver has voted.
    ///
    /// The fund must be kept in the grant's currency, grant as much, and admit the exchange
    /// by its mandate (the request's sectors and country, the submitted plan's instruments
    /// and days); a refusal gives every reason and the funds that could pay. The grant row
    /// records who chose and why, and `funding_fund_choices` keeps every change — in one
    /// transaction under the exchange's lock.
    public func chooseFund(_ fundID: String, exchange id: UUID, reason: String, by actor: ExchangeActor) async throws -> Grant {
        let logger = self.logger
        return try await transaction { connection in
            let exchange = try await LockedExchange.lock(id, on: connection, logger: logger)
            let roles = exchange.roles(of: actor)
            try roles.requireVisible(actor, exchange: id.uuidString.lowercased())
            try roles.require("program-manager", actor, to: "choose the fund of the exchange's grant")
            try exchange.require(state: ["funding-review"], to: "choose the grant's fund")
            guard let plan = try await PlanStore.all(id, on: connection, logger: logger).last(where: { $0.submittedAt != nil }) else {
                throw ExchangeError(.conflict, "the exchange has no submitted plan", hint: "the official submits the plan first")
            }
            let funds = try await FundStore.all(on: connection, logger: logger)
            let subject = try await PlanFund.subject(exchange: id, plan: plan.plan, on: connection, logger: logger)
            let amount = plan.totals.grant
            let eligible = funds.filter { PlanFund.refusals($0, amount: amount, subject: subject).isEmpty }.map(\.id)
            let couldPay = eligible.isEmpty ? "no fund could pay for this exchange" : "funds that could pay: \(eligible.joined(separator: ", "))"
            guard let fund = funds.first(where: { $0.id == fundID }) else {
                throw ExchangeError(.notFound, "no fund has the id '\(fundID)'; \(couldPay)", hint: "see meridian fund list")
            }
            let reasons = PlanFund.refusals(fund, amount: amount, subject: subject)
            guard reasons.isEmpty else {
                throw ExchangeError(.invalidData, "the fund \(fund.id) cannot pay for this exchange: \(reasons.joined(separator: "; ")); \(couldPay)",
                                    hint: "choose one of them")
            }
            return try await GrantStore.changeFund(instance: id, to: fund, by: actor.id, reason: reason, on: connection, logger: logger)
        }
    }
}
