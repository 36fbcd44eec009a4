import Foundation
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianWorkflow

/// What every exchange of a chaos run goes through: the straight path of `meridian demo`'s
/// Moldova and Congo exchanges (one approver below 50,000 USD, one payment), with invented
/// people acting under the roles the workflow names.
enum ChaosScenario {
    static let fundID = "chaos-fund"
    /// The grant each exchange asks for: 29,500.00 USD.
    static let grantMinor: Int64 = 29_500_00
    static let beneficiaryIBAN = "DE89 3704 0044 0532 0130 00"

    static let manager = ExchangeActor(id: "chaos.manager", roles: ["program-manager"])
    static let managerInEngine = WorkflowActor.person("chaos.manager", roles: ["program-manager"])
    static let approver = WorkflowActor.person("chaos.approver", roles: ["fund-approver"])
    static let financeOfficer = WorkflowActor.person("chaos.finance", roles: ["finance-officer"])

    /// The official of the country that files exchange `index`.
    static func official(_ index: Int) -> ExchangeActor {
        let country = requests[index % requests.count].country
        return ExchangeActor(id: "\(country.lowercased()).chaos", roles: [ExchangeActor.officialRole], country: country)
    }

    /// The partner country's official, who confirms the partnership.
    static func partnerOfficial(_ country: String) -> ExchangeActor {
        ExchangeActor(id: "\(country.lowercased()).partner", roles: [ExchangeActor.officialRole], country: country)
    }

    /// Request `index`, numbered so that every one is distinct.
    static func request(_ index: Int) -> ExchangeRequest {
        var request = requests[index % requests.count]
        request.developmentGoal += " (chaos exchange \(index))"
        return request
    }

    static func plan(requesting country: String, partner: String) -> VisitPlan {
        let today = Date()
        func day(_ days: Int) -> CalendarDay { CalendarDay(today.addingTimeInterval(Double(days) * 86_400)) }
        let team = [VisitPlan.Participant(name: "Head of delegation", institution: "Ministry", country: country, role: "lead"),
                    VisitPlan.Participant(name: "Host", institution: "Agency", country: partner, role: "host")]
        return VisitPlan(activities: [
            .init(instrument: .studyVisit, title: "Study visit", start: day(25), end: day(29), place: "Host country, capital", participants: team),
        ], budget: [
            .init(category: .travel, description: "Flights", amountMinor: 9_500_00, currency: "USD", paidBy: .grant),
            .init(category: .accommodation, description: "Five delegates, five nights", amountMinor: 6_000_00, currency: "USD", paidBy: .grant),
            .init(category: .expertFees, description: "Two trainers", amountMinor: 14_000_00, currency: "USD", paidBy: .grant),
            .init(category: .venue, description: "Workshop venue", amountMinor: 2_500_00, currency: "USD", paidBy: .coFinancing),
        ])
    }

    static func report(partner: String) -> ResultsReport {
        ResultsReport(
            indicators: [.init(name: requestIndicator, actual: 38)],
            outcomes: [.init(kind: .enhancedConnectivity, description: "A standing link with \(partner)'s agency")],
            lessons: ["Plan the visit around the questions the ministry must answer"],
            feedback: .init(requestingCountry: "Open doors at every level", partnerCountry: "A committed team"))
    }

    private static let requestIndicator = "Public trust in the institution"

    private static let requests: [ExchangeRequest] = [
        ExchangeRequest(
            country: "MDA", countryName: "Moldova", region: .europeCentralAsia, incomeGroup: .upperMiddle,
            developmentGoal: "Rebuild public trust in the police",
            institutionalChallenge: "Petty corruption by traffic police and low public trust in the police",
            changeObjective: "Replace the traffic police with a new patrol police recruited and trained from scratch",
            sectors: [.securitySector, .antiCorruption], instruments: [.studyVisit, .workshop],
            indicators: [Indicator(name: requestIndicator, unit: "%", baseline: 30, target: 55)]),
        ExchangeRequest(
            country: "COD", countryName: "Democratic Republic of the Congo", region: .subSaharanAfrica, incomeGroup: .low,
            developmentGoal: "Reintegrate demobilised ex-combatants in the eastern provinces into civilian life with jobs and training",
            institutionalChallenge: "The reintegration agency has no community-based reintegration model",
            changeObjective: "Design community reintegration committees and a vocational training route",
            sectors: [.demobilisationReintegration, .peacebuilding], instruments: [.studyVisit, .videoconference],
            indicators: [Indicator(name: requestIndicator, unit: "%", baseline: 20, target: 40)]),
    ]
}
