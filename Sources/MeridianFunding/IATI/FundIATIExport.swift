import MeridianCodes
import Foundation
import Logging
import PostgresNIO

/// Builds the IATI activities of a trust fund: the fund itself (donors' contributions as
/// incoming funds) and one child activity per grant it made (the commitment, code 2; the
/// paid disbursements, code 3; the country's co-financing as an incoming commitment, code
/// 11, marked as not paid through Meridian), all from the ledger.
public struct FundIATIExport: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// The publisher: the organisation running Meridian.
    public var reportingOrg: IATIActivity.Organisation

    public init(client: PostgresClient, logger: Logger, reportingOrg: IATIActivity.Organisation) {
        self.client = client
        self.logger = logger
        self.reportingOrg = reportingOrg
    }

    public func activities(fund fundID: String) async throws -> [IATIActivity] {
        guard let fund = try await FundStore.funds(where: fundID, on: client, logger: logger).first else {
            throw FundingError(.notFound, "no fund has the id '\(fundID)'", hint: "see meridian fund list")
        }
        let prefix = reportingOrg.ref ?? "XM-MERIDIAN"
        let fundIdentifier = "\(prefix)-\(fund.id)"
        let contributions = try await client.query("""
            SELECT donor, amount_minor, received_on::text, reference FROM funding_contributions WHERE fund_id = \(fund.id)
            ORDER BY received_on, transaction_id
            """, logger: logger).collect()
        var fundTransactions: [IATIActivity.Transaction] = []
        var firstDay: CalendarDay?
        for row in contributions {
            let (donor, amount, day, reference) = try row.decode((String, Int64, String, String).self)
            let date = try CalendarDay(day)
            firstDay = min(firstDay ?? date, date)
            fundTransactions.append(IATIActivity.Transaction(type: 1, date: date, value: Money(minorUnits: amount, currency: fund.currency),
                                                             description: "Contribution \(reference)", provider: .init(name: donor),
                                                             receiver: reportingOrg))
        }
        let grants = try await GrantStore.grants(fund: fund.id, on: client, logger: logger)
            .filter { $0.status == .committed || $0.status == .closed }
        var activities: [IATIActivity] = []
        var children: [IATIActivity] = []
        for grant in grants {
            children.append(try await activity(of: grant, fund: fund, parent: fundIdentifier, prefix: prefix))
        }
        let start = firstDay ?? CalendarDay(fund.createdAt)
        activities.append(IATIActivity(
            identifier: fundIdentifier, reportingOrg: reportingOrg, title: fund.name,
            description: "Trust fund for knowledge exchanges between countries, managed with Meridian.",
            participants: fund.donors.map { IATIActivity.Participant(role: 1, organisation: IATIActivity.Organisation(name: $0)) }
                + [IATIActivity.Participant(role: 3, organisation: reportingOrg)],
            status: 2, dates: [.init(type: 2, day: start)], defaultCurrency: fund.currency, transactions: fundTransactions,
            related: children.map { IATIActivity.RelatedActivity(type: 2, identifier: $0.identifier) }))
        return activities + children
    }

    /// The activity of the grant of exchange `instance` (its budget, recipient, commitment,
    /// payments and co-financing), or `nil` when it has no committed or paid grant. The
    /// exchange module builds its own activity on it.
    public func grantActivity(instance: UUID) async throws -> IATIActivity? {
        guard let grant = try await GrantStore.grants(where: .instance(instance), on: client, logger: logger).first,
              grant.status == .committed || grant.status == .closed,
              let fund = try await FundStore.funds(where: grant.fundID, on: client, logger: logger).first else { return nil }
        let prefix = reportingOrg.ref ?? "XM-MERIDIAN"
        return try await activity(of: grant, fund: fund, parent: "\(prefix)-\(fund.id)", prefix: prefix)
    }

    private func activity(of grant: Grant, fund: Fund, parent: String, prefix: String) async throws -> IATIActivity {
        let rows = try await client.query("""
            SELECT t.kind, t.value_date::text, e.amount_minor, t.reference FROM funding_transactions t
            JOIN funding_entries e ON e.transaction_id = t.id AND e.line = 1
            WHERE t.grant_id = \(grant.id) AND t.kind IN ('commitment', 'release', 'payment-paid')
            ORDER BY t.value_date, t.id
            """, logger: logger).collect()
        // Countries are named by their ISO 3166-1 alpha-2 code throughout a file, as IATI's recipient-country is.
        let country: IATIActivity.Organisation = .init(type: "10", name: grant.recipientCountry.isEmpty ? "Government of the requesting country"
                                                                                                         : "Government of \(grant.recipientCountry)")
        var transactions: [IATIActivity.Transaction] = []
        var committedOn = CalendarDay(grant.requestedAt)
        for row in rows {
            let (kind, day, amount, reference) = try row.decode((String, String, Int64, String).self)
            let date = try CalendarDay(day)
            let money = Money(minorUnits: amount, currency: grant.amount.currency)
            switch kind {
            case "commitment":
                committedOn = date
                transactions.append(.init(type: 2, date: date, value: money, description: "Grant approved", provider: reportingOrg, receiver: country))
            case "release":
                // A released commitment is reported as a negative commitment, as IATI asks for decreases.
                transactions.append(.init(type: 2, date: date, value: Money(minorUnits: -amount, currency: money.currency),
                                          description: "Commitment released", provider: reportingOrg, receiver: country))
            default:
                transactions.append(.init(type: 3, date: date, value: money, description: "Payment \(reference)", provider: reportingOrg, receiver: country,
                                          reference: reference))
            }
        }
        if grant.coFinancing.minorUnits > 0 {
            // The country pays its share to itself, outside Meridian: it is the provider, and
            // no receiver is named (IATI's receiver-org is optional; naming the country again
            // would make one organisation both provider and receiver).
            transactions.append(.init(type: 11, date: committedOn, value: grant.coFinancing,
                                      description: "Co-financing from the country's own budget (not paid through Meridian)",
                                      provider: country))
        }
        var participants: [IATIActivity.Participant] = [.init(role: 1, organisation: .init(ref: prefix, name: fund.name))]
        if grant.coFinancing.minorUnits > 0 { participants.append(.init(role: 1, organisation: country)) }
        participants.append(.init(role: 4, organisation: country))
        let budgetValue = grant.planBudget ?? grant.amount
        return IATIActivity(
            identifier: "\(parent)-\(grant.id.short)", reportingOrg: reportingOrg, title: grant.title,
            description: "Grant of \(grant.amount) from \(fund.name); the country co-finances \(grant.coFinancing).",
            participants: participants, status: grant.status == .closed ? 3 : 2, dates: [.init(type: 2, day: committedOn)],
            recipientCountry: grant.recipientCountry.isEmpty ? nil : grant.recipientCountry, defaultCurrency: grant.amount.currency,
            budgets: [.init(start: committedOn, end: CalendarDay(committedOn.year + 1, committedOn.month, min(committedOn.day, 28)),
                            value: budgetValue, valueDate: committedOn)],
            transactions: transactions, related: [.init(type: 1, identifier: parent)])
    }
}

extension CalendarDay {
    /// A known-valid day (`day` at most 28 where that matters).
    init(_ year: Int, _ month: Int, _ day: Int) {
        // Only called with valid values; a literal keeps the strict parser the only public way in.
        self = (try? CalendarDay(String(format: "%04d-%02d-%02d", year, month, day))) ?? CalendarDay(Date(timeIntervalSince1970: 0))
    }
}
