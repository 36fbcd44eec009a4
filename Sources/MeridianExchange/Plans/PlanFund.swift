import MeridianCodes
import Foundation
import Logging
import MeridianFunding
import PostgresNIO

/// Which trust fund pays an exchange's grant, and whether it may.
///
/// The plan names its fund (`"fund"`), or, when it names none, the only fund kept in the
/// grant's currency is used; with several the plan must name one. A fund pays only for the
/// exchanges its mandate admits (``FundMandate``) and grants no more than its maximum in its
/// own currency. Every refusal names the funds that could pay instead.
enum PlanFund {
    /// The chosen fund and how it was chosen.
    struct Choice: Sendable {
        var fund: Fund
        var how: Grant.FundChoice.How
    }

    /// What a mandate looks at: the request's sectors and country, the plan's instruments and days.
    static func subject(exchange id: UUID, plan: VisitPlan, on connection: PostgresConnection, logger: Logger) async throws -> FundMandate.Subject {
        let rows = try await connection.query("SELECT sectors, country_code FROM exchange_requests WHERE exchange_id = \(id)", logger: logger).collect()
        guard let row = rows.first else {
            throw ExchangeError(.notFound, "no exchange has the id \(id.uuidString.lowercased())", hint: "see `meridian exchange list`")
        }
        let (sectors, country) = try row.decode(([String], String).self)
        var instruments: [String] = []
        for activity in plan.activities where !instruments.contains(activity.instrument.rawValue) { instruments.append(activity.instrument.rawValue) }
        return FundMandate.Subject(sectors: sectors, country: country, instruments: instruments, start: plan.period?.start, end: plan.period?.end)
    }

    /// Why `fund` may not pay `amount` for `subject`, every reason; empty when it may.
    static func refusals(_ fund: Fund, amount: Money?, subject: FundMandate.Subject) -> [String] {
        var reasons: [String] = []
        if let amount {
            do {
                try GrantStore.refusalToPay(amount, from: fund)
            } catch {
                reasons.append(error.message)
            }
        }
        return reasons + fund.mandate.refusals(subject).map { "its mandate excludes the exchange: \($0)" }
    }

    /// The fund that pays the plan's grant (`amount`), or the reason none may;
    /// `nil` when the plan names none and no fund is kept in the currency at all (the grant
    /// request, which the funding module files in the same step, then says so).
    static func choose(for plan: VisitPlan, grant amount: Money?, exchange id: UUID,
                       on connection: PostgresConnection, logger: Logger) async throws -> Choice? {
        let funds = try await FundStore.all(on: connection, logger: logger)
        let subject = try await subject(exchange: id, plan: plan, on: connection, logger: logger)
        let eligible = funds.filter { refusals($0, amount: amount, subject: subject).isEmpty }.map(\.id)
        let couldPay = eligible.isEmpty ? "no fund could pay for this exchange (see meridian fund list)"
                                        : "funds that could pay: \(eligible.joined(separator: ", "))"
        if let named = plan.fund {
            guard let fund = funds.first(where: { $0.id == named }) else {
                throw ExchangeError(.notFound, "the plan names the fund '\(named)', which does not exist; \(couldPay)",
                                    hint: "set the plan's \"fund\" to one of them and import it again")
            }
            let reasons = refusals(fund, amount: amount, subject: subject)
            guard reasons.isEmpty else {
                throw ExchangeError(.invalidData, "the fund \(fund.id) cannot pay for this plan: \(reasons.joined(separator: "; ")); \(couldPay)",
                                    hint: "name another fund in the plan's \"fund\", or change the plan")
            }
            return Choice(fund: fund, how: .plan)
        }
        let code = amount?.currency.code
        let inCurrency = funds.filter { $0.currency.code == code }
        if inCurrency.isEmpty { return nil }
        guard inCurrency.count == 1 else {
            let kept = inCurrency.isEmpty ? "no fund is kept in \(code ?? "the grant's currency")"
                                          : "\(inCurrency.count) funds are kept in \(code ?? "the grant's currency") (\(inCurrency.map(\.id).joined(separator: ", ")))"
            throw ExchangeError(.invalidData, "\(kept), and the plan names none; \(couldPay)",
                                hint: "set \"fund\" in the plan file and import it again")
        }
        let fund = inCurrency[0]
        let reasons = refusals(fund, amount: amount, subject: subject)
        guard reasons.isEmpty else {
            throw ExchangeError(.invalidData, "the only fund in \(fund.currency), \(fund.id), cannot pay for this plan: \(reasons.joined(separator: "; "))",
                                hint: "change the plan, or have a fund created whose mandate covers it")
        }
        return Choice(fund: fund, how: .default)
    }
}
