import MeridianCodes
import Foundation
import Logging
import MeridianFunding
import PostgresNIO

/// Builds the IATI activity (2.03) of one exchange: what it is for, who takes part, its
/// status, recipient country and sectors, its budget and money (the funding module's grant
/// activity: commitment code 2, disbursements code 3, co-financing code 11) and its results,
/// one indicator per indicator of the request, with baseline, target and the reported actual.
public struct ExchangeIATIExport: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    public var reportingOrg: IATIActivity.Organisation

    public init(client: PostgresClient, logger: Logger, reportingOrg: IATIActivity.Organisation) {
        self.client = client
        self.logger = logger
        self.reportingOrg = reportingOrg
    }

    public func activity(exchange id: UUID) async throws -> IATIActivity {
        let logger = self.logger
        let view = try await client.withConnection { connection in try await ExchangeView.read(id, on: connection, logger: logger) }
        let request = view.request.request
        let prefix = reportingOrg.ref ?? "XM-MERIDIAN"
        let country = CountryCodes.alpha2(request.country)
        // One code system per file: countries are named by ISO 3166-1 alpha-2, as the funding
        // module's grant activity and IATI's recipient-country name them.
        let government = IATIActivity.Organisation(type: "10", name: "Government of \(country ?? request.country)")
        let filed = CalendarDay(view.request.filedAt)
        let funded = try await FundIATIExport(client: client, logger: logger, reportingOrg: reportingOrg).grantActivity(instance: id)
        let defaultCurrency = try Self.currency(view)
        var activity = funded ?? IATIActivity(
            identifier: "", reportingOrg: reportingOrg, title: "", participants: [.init(role: 4, organisation: government)],
            status: 1, dates: [.init(type: 1, day: filed)], recipientCountry: country, defaultCurrency: defaultCurrency)
        activity.identifier = "\(prefix)-exchange-\(id.uuidString.lowercased().prefix(8))"
        activity.title = String("Knowledge exchange: \(request.changeObjective)".prefix(250))
        activity.description = "\(request.developmentGoal) — \(request.institutionalChallenge)"
        activity.status = Self.status(of: view.state)
        activity.recipientCountry = country
        if let partner = view.currentPartner, partner.response == "confirmed" {
            activity.participants.append(.init(role: 4, organisation: .init(type: "10", name: "Government of \(CountryCodes.alpha2(partner.country) ?? partner.country) (partner country)")))
        }
        let sectors = request.sectors.map(\.rawValue)
        activity.sectors = sectors.enumerated().map { index, code in
            let share = 100 / sectors.count + (index == sectors.count - 1 ? 100 % sectors.count : 0)
            return IATIActivity.Sector(code: code, vocabulary: "99", percentage: share)
        }
        if funded == nil, let plan = view.plans.last, let grant = plan.totals.grant {
            let coFinancing = plan.totals.coFinancing.flatMap { $0.currency == grant.currency ? $0 : nil }
            let total = try coFinancing.map { try grant.adding($0) } ?? grant
            activity.budgets = [.init(start: filed, end: Self.yearLater(filed), value: total, valueDate: filed)]
        }
        let report = view.reports.last?.report
        let periodEnd = view.reports.last.map { CalendarDay($0.submittedAt) } ?? Self.yearLater(filed)
        if !request.indicators.isEmpty {
            let actuals = Dictionary((report?.indicators ?? []).map { ($0.name.lowercased(), $0.actual) }, uniquingKeysWith: { first, _ in first })
            activity.results = [IATIActivity.Result(
                type: 2, title: String(request.changeObjective.prefix(250)),
                indicators: request.indicators.map { indicator in
                    IATIActivity.Indicator(
                        title: "\(indicator.name) (\(indicator.unit))", measure: 1, ascending: indicator.target >= indicator.baseline,
                        baselineYear: filed.year, baselineValue: "\(indicator.baseline)", periodStart: filed,
                        periodEnd: max(periodEnd, filed), target: "\(indicator.target)",
                        actual: actuals[indicator.name.lowercased()].map { "\($0)" })
                })]
        }
        return activity
    }

    /// IATI ActivityStatus from the exchange's state.
    static func status(of state: String) -> Int {
        switch state {
        case "disbursement", "payment-pending", "implementation", "report-overdue": 2
        case "results-review": 3
        case "closed": 4
        case "declined", "withdrawn", "cancelled": 5
        default: 1
        }
    }

    private static func currency(_ view: ExchangeView) throws -> Currency {
        try view.plans.last?.totals.grant?.currency ?? Currency.named("USD")
    }

    private static func yearLater(_ day: CalendarDay) -> CalendarDay {
        (try? CalendarDay(String(format: "%04d-%02d-%02d", day.year + 1, day.month, min(day.day, 28)))) ?? day
    }
}
