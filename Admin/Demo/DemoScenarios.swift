import Foundation
import MeridianExchange
import MeridianFunding

/// The five exchanges `meridian demo` runs from request to closed.
///
/// The requests describe real kinds of problems and the partners are drawn from the seed
/// catalogue's real programmes, but the people, institutions, plans, budgets, accounts and
/// results are **invented for the demonstration** (the demo says so when it starts). Dates
/// are counted from the day the demo runs, so plans are always ahead.
struct DemoScenario: Sendable {
    /// What happens on the way, besides the straight path.
    enum Twist: Sendable {
        case none
        /// The fund approvers reject the first grant; the official revises the plan.
        case grantRejectedThenRevised
        /// The bank rejects the first payment; the finance officer disburses again and it is paid.
        case paymentFailsThenPaid
        /// The grant is paid in two instalments, 70% at once and 30% after the results report.
        case paidInInstalments
    }

    var key: String
    var official: DemoPerson
    var request: ExchangeRequest
    /// The partner the official picks: the first of these among the proposed matches, else the best match.
    var preferredPartners: [String]
    var plan: @Sendable (_ today: Date, _ partner: String) -> VisitPlan
    /// The plan submitted after the grant was rejected.
    var revisedPlan: (@Sendable (_ today: Date, _ partner: String) -> VisitPlan)?
    var report: @Sendable (_ partnerName: String) -> ResultsReport
    var beneficiary: DemoBeneficiary
    var twist: Twist
}

/// Who receives a grant's payments. The accounts are examples, not real accounts.
struct DemoBeneficiary: Sendable {
    var institution: String
    var iban: String
    /// The account the first, failing payment goes to (closed), for ``DemoScenario/Twist/paymentFailsThenPaid``.
    var closedIBAN: String?
}

/// A person of the demo, added as a user when missing.
struct DemoPerson: Sendable, Hashable {
    var handle: String
    var name: String
    var role: String
    var country: String?
}

extension DemoScenario {
    static let all: [DemoScenario] = [congo, nepal, uganda, moldova, ghana]

    /// Days after `today`.
    fileprivate static func day(_ today: Date, _ days: Int) -> CalendarDay {
        CalendarDay(today.addingTimeInterval(Double(days) * 86_400))
    }

    fileprivate static func usd(_ dollars: Int64) -> Int64 { dollars * 100 }

    static let congo = DemoScenario(
        key: "cod-ddr",
        official: DemoPerson(handle: "amani.official", name: "Amani Kabila", role: "official", country: "COD"),
        request: ExchangeRequest(
            country: "COD", countryName: "Democratic Republic of the Congo", region: .subSaharanAfrica, incomeGroup: .low,
            developmentGoal: "Reintegrate demobilised ex-combatants in the eastern provinces into civilian life with jobs and training",
            institutionalChallenge: "The reintegration agency has no community-based reintegration model and no follow-up of former combatants after demobilisation",
            changeObjective: "Design community reintegration committees and a vocational training route for demobilised ex-combatants",
            sectors: [.demobilisationReintegration, .peacebuilding], instruments: [.studyVisit, .videoconference],
            indicators: [Indicator(name: "Former combatants in vocational training", unit: "people", baseline: 300, target: 2_000),
                         Indicator(name: "Communities with reintegration committees", unit: "communities", baseline: 0, target: 40)]),
        preferredPartners: ["RWA", "SLE", "COL"],
        plan: { today, partner in
            let team = [VisitPlan.Participant(name: "Amani Kabila", institution: "Reintegration agency", country: "COD", role: "head of delegation"),
                        VisitPlan.Participant(name: "Josée Mbuyi", institution: "Ministry of Defence", country: "COD", role: "programme officer"),
                        VisitPlan.Participant(name: "Host expert", institution: "Demobilisation commission", country: partner, role: "host")]
            return VisitPlan(activities: [
                .init(instrument: .videoconference, title: "Scoping call on community reintegration", start: day(today, 20), end: day(today, 20),
                      link: "https://meet.example.org/cod-ddr", participants: team),
                .init(instrument: .studyVisit, title: "Study visit to reintegration committees and training centres", start: day(today, 45), end: day(today, 51),
                      place: "Host country, two districts", participants: team),
            ], budget: [
                .init(category: .travel, description: "Flights for six delegates", amountMinor: usd(18_000), currency: "USD", paidBy: .grant),
                .init(category: .accommodation, description: "Six delegates, seven nights", amountMinor: usd(9_600), currency: "USD", paidBy: .grant),
                .init(category: .perDiem, description: "Per diem, six delegates", amountMinor: usd(7_200), currency: "USD", paidBy: .grant),
                .init(category: .interpretation, description: "French–English interpretation", amountMinor: usd(4_000), currency: "USD", paidBy: .grant),
                .init(category: .venue, description: "Debriefing workshop in Goma", amountMinor: usd(3_000), currency: "USD", paidBy: .coFinancing),
            ])
        },
        revisedPlan: nil,
        report: { partnerName in
            ResultsReport(
                indicators: [.init(name: "Former combatants in vocational training", actual: 1_150),
                             .init(name: "Communities with reintegration committees", actual: 18)],
                outcomes: [.init(kind: .newKnowledge, description: "The agency learned how \(partnerName) runs community reintegration committees"),
                           .init(kind: .newAndImprovedActions, description: "Eighteen community reintegration committees set up in North Kivu")],
                lessons: ["Community committees need a budget line of their own from the start"],
                feedback: .init(requestingCountry: "Practical and frank; the field visits mattered most",
                                partnerCountry: "A well-prepared delegation with clear questions"))
        },
        beneficiary: DemoBeneficiary(institution: "Reintegration agency of the DRC (example account)", iban: "FR14 2004 1010 0505 0001 3M02 606"),
        twist: .none)

    static let nepal = DemoScenario(
        key: "npl-targeting",
        official: DemoPerson(handle: "sita.official", name: "Sita Sharma", role: "official", country: "NPL"),
        request: ExchangeRequest(
            country: "NPL", countryName: "Nepal", region: .southAsia, incomeGroup: .lowerMiddle,
            developmentGoal: "Target cash transfers to the poorest households",
            institutionalChallenge: "The social registry has no proxy means test and cash transfers reach many households that are not poor",
            changeObjective: "Adopt a proxy means test and household targeting for conditional cash transfers to the poorest families",
            sectors: [.socialProtection], instruments: [.expertVisit, .workshop],
            indicators: [Indicator(name: "Transfers reaching the poorest quintile", unit: "%", baseline: 35, target: 60)]),
        preferredPartners: ["PHL", "MEX", "IDN"],
        plan: { today, partner in
            let team = [VisitPlan.Participant(name: "Sita Sharma", institution: "Ministry of Women, Children and Senior Citizens", country: "NPL", role: "lead"),
                        VisitPlan.Participant(name: "Registry expert", institution: "Social welfare department", country: partner, role: "expert")]
            return VisitPlan(activities: [
                .init(instrument: .expertVisit, title: "Expert mission on proxy means testing", start: day(today, 30), end: day(today, 40),
                      place: "Kathmandu", participants: team),
                .init(instrument: .workshop, title: "Targeting workshop for twelve districts", start: day(today, 60), end: day(today, 62),
                      place: "Pokhara", participants: team),
            ], budget: [
                .init(category: .expertFees, description: "Four experts, ten days", amountMinor: usd(48_000), currency: "USD", paidBy: .grant),
                .init(category: .travel, description: "Experts' flights", amountMinor: usd(22_000), currency: "USD", paidBy: .grant),
                .init(category: .venue, description: "Workshop for 120 district officers", amountMinor: usd(26_500), currency: "USD", paidBy: .grant),
            ])
        },
        revisedPlan: { today, partner in
            let team = [VisitPlan.Participant(name: "Sita Sharma", institution: "Ministry of Women, Children and Senior Citizens", country: "NPL", role: "lead"),
                        VisitPlan.Participant(name: "Registry expert", institution: "Social welfare department", country: partner, role: "expert")]
            return VisitPlan(activities: [
                .init(instrument: .expertVisit, title: "Expert mission on proxy means testing", start: day(today, 30), end: day(today, 37),
                      place: "Kathmandu", participants: team),
                .init(instrument: .workshop, title: "Targeting workshop for twelve districts", start: day(today, 60), end: day(today, 62),
                      place: "Pokhara", participants: team),
            ], budget: [
                .init(category: .expertFees, description: "Three experts, seven days", amountMinor: usd(33_000), currency: "USD", paidBy: .grant),
                .init(category: .travel, description: "Experts' flights", amountMinor: usd(18_000), currency: "USD", paidBy: .grant),
                .init(category: .interpretation, description: "Nepali–English interpretation", amountMinor: usd(4_500), currency: "USD", paidBy: .grant),
                .init(category: .venue, description: "Workshop for 120 district officers", amountMinor: usd(12_000), currency: "USD", paidBy: .coFinancing),
            ])
        },
        report: { partnerName in
            ResultsReport(
                indicators: [.init(name: "Transfers reaching the poorest quintile", actual: 47)],
                outcomes: [.init(kind: .enhancedSkills, description: "District officers trained to score households with a proxy means test, as \(partnerName) does"),
                           .init(kind: .improvedConsensus, description: "Ministries agreed on one targeting rule for all cash transfers")],
                lessons: ["Pilot the proxy means test in a few districts before the national roll-out"],
                feedback: .init(requestingCountry: "The experts' own registry tools were the most useful part",
                                partnerCountry: "Nepal's registry team moved fast once the rule was agreed"))
        },
        beneficiary: DemoBeneficiary(institution: "Ministry of Women, Children and Senior Citizens of Nepal (example account)", iban: "GB82 WEST 1234 5698 7654 32"),
        twist: .grantRejectedThenRevised)

    static let uganda = DemoScenario(
        key: "uga-land",
        official: DemoPerson(handle: "grace.official", name: "Grace Nakato", role: "official", country: "UGA"),
        request: ExchangeRequest(
            country: "UGA", countryName: "Uganda", region: .subSaharanAfrica, incomeGroup: .low,
            developmentGoal: "Secure land tenure for smallholder farmers and women",
            institutionalChallenge: "Customary land is unregistered and land registration is slow and costly",
            changeObjective: "Pilot low-cost systematic land registration and titling with women's joint ownership",
            sectors: [.landAdministration, .gender], instruments: [.studyVisit, .technicalConsultation],
            indicators: [Indicator(name: "Parcels registered in pilot districts", unit: "parcels", baseline: 2_000, target: 50_000)]),
        preferredPartners: ["RWA"],
        plan: { today, partner in
            let team = [VisitPlan.Participant(name: "Grace Nakato", institution: "Ministry of Lands", country: "UGA", role: "lead"),
                        VisitPlan.Participant(name: "Land registrar", institution: "Land authority", country: partner, role: "host")]
            return VisitPlan(activities: [
                .init(instrument: .studyVisit, title: "Systematic land registration in the field", start: day(today, 35), end: day(today, 40),
                      place: "Host country, Eastern Province", participants: team),
                .init(instrument: .technicalConsultation, title: "Consultation on fees and women's co-ownership", start: day(today, 70), end: day(today, 70),
                      place: "Ministry of Lands, Kampala", participants: team),
            ], budget: [
                .init(category: .travel, description: "Flights and ground transport", amountMinor: usd(21_000), currency: "USD", paidBy: .grant),
                .init(category: .accommodation, description: "Eight delegates, six nights", amountMinor: usd(11_000), currency: "USD", paidBy: .grant),
                .init(category: .perDiem, description: "Per diem", amountMinor: usd(8_000), currency: "USD", paidBy: .grant),
                .init(category: .expertFees, description: "Surveyor's advice", amountMinor: usd(4_000), currency: "USD", paidBy: .grant),
            ])
        },
        revisedPlan: nil,
        report: { partnerName in
            ResultsReport(
                indicators: [.init(name: "Parcels registered in pilot districts", actual: 14_500)],
                outcomes: [.init(kind: .newKnowledge, description: "The ministry learned \(partnerName)'s low-cost demarcation with community para-surveyors"),
                           .init(kind: .newAndImprovedActions, description: "Joint titling for spouses added to the pilot's registration forms")],
                lessons: ["Train para-surveyors before the registration campaign starts"],
                feedback: .init(requestingCountry: "Seeing registration in the field convinced the district leaders",
                                partnerCountry: "Good questions about fees and disputes"))
        },
        beneficiary: DemoBeneficiary(institution: "Ministry of Lands of Uganda (example account)", iban: "NL91 ABNA 0417 1643 00",
                                     closedIBAN: "BE68 5390 0754 7034"),
        twist: .paymentFailsThenPaid)

    static let moldova = DemoScenario(
        key: "mda-police",
        official: DemoPerson(handle: "ion.official", name: "Ion Rusu", role: "official", country: "MDA"),
        request: ExchangeRequest(
            country: "MDA", countryName: "Moldova", region: .europeCentralAsia, incomeGroup: .upperMiddle,
            developmentGoal: "Rebuild public trust in the police",
            institutionalChallenge: "Petty corruption by traffic police and low public trust in the police",
            changeObjective: "Replace the traffic police with a new patrol police recruited and trained from scratch",
            sectors: [.securitySector, .antiCorruption], instruments: [.studyVisit, .workshop],
            indicators: [Indicator(name: "Public trust in the police", unit: "%", baseline: 30, target: 55)]),
        preferredPartners: ["GEO"],
        plan: { today, partner in
            let team = [VisitPlan.Participant(name: "Ion Rusu", institution: "Ministry of Internal Affairs", country: "MDA", role: "lead"),
                        VisitPlan.Participant(name: "Patrol police trainer", institution: "Police academy", country: partner, role: "host")]
            return VisitPlan(activities: [
                .init(instrument: .studyVisit, title: "Patrol police recruitment and training", start: day(today, 25), end: day(today, 29),
                      place: "Host country, capital", participants: team),
                .init(instrument: .workshop, title: "Reform roadmap workshop", start: day(today, 55), end: day(today, 56),
                      place: "Chișinău", participants: team),
            ], budget: [
                .init(category: .travel, description: "Flights", amountMinor: usd(9_500), currency: "USD", paidBy: .grant),
                .init(category: .accommodation, description: "Five delegates, five nights", amountMinor: usd(6_000), currency: "USD", paidBy: .grant),
                .init(category: .expertFees, description: "Two trainers for the workshop", amountMinor: usd(14_000), currency: "USD", paidBy: .grant),
                .init(category: .venue, description: "Workshop venue", amountMinor: usd(2_500), currency: "USD", paidBy: .coFinancing),
            ])
        },
        revisedPlan: nil,
        report: { partnerName in
            ResultsReport(
                indicators: [.init(name: "Public trust in the police", actual: 38)],
                outcomes: [.init(kind: .enhancedConnectivity, description: "A standing link between the two police academies"),
                           .init(kind: .improvedConsensus, description: "Parliament's committee backed the reform roadmap modelled on \(partnerName)'s")],
                lessons: ["Recruit new officers instead of retraining the old corps"],
                feedback: .init(requestingCountry: "Open doors at every level", partnerCountry: "A committed reform team"))
        },
        beneficiary: DemoBeneficiary(institution: "Ministry of Internal Affairs of Moldova (example account)", iban: "DE89 3704 0044 0532 0130 00"),
        twist: .none)

    static let ghana = DemoScenario(
        key: "gha-health",
        official: DemoPerson(handle: "kofi.official", name: "Kofi Mensah", role: "official", country: "GHA"),
        request: ExchangeRequest(
            country: "GHA", countryName: "Ghana", region: .subSaharanAfrica, incomeGroup: .lowerMiddle,
            developmentGoal: "Universal health coverage for informal workers",
            institutionalChallenge: "Informal workers stay out of health insurance and pay out of pocket for care",
            changeObjective: "Tax-financed universal coverage with capitation payments to primary care providers",
            sectors: [.health, .socialProtection], instruments: [.expertVisit, .videoconference],
            indicators: [Indicator(name: "Informal workers covered", unit: "%", baseline: 40, target: 70)]),
        preferredPartners: ["THA"],
        plan: { today, partner in
            let team = [VisitPlan.Participant(name: "Kofi Mensah", institution: "National health insurance authority", country: "GHA", role: "lead"),
                        VisitPlan.Participant(name: "Health financing expert", institution: "National health security office", country: partner, role: "expert")]
            return VisitPlan(activities: [
                .init(instrument: .videoconference, title: "Capitation and provider payment", start: day(today, 15), end: day(today, 15),
                      link: "https://meet.example.org/gha-health", participants: team),
                .init(instrument: .expertVisit, title: "Expert mission on the benefit package and costing", start: day(today, 40), end: day(today, 50),
                      place: "Accra", participants: team),
            ], budget: [
                .init(category: .expertFees, description: "Three experts, ten days", amountMinor: usd(36_000), currency: "USD", paidBy: .grant),
                .init(category: .travel, description: "Experts' flights", amountMinor: usd(15_000), currency: "USD", paidBy: .grant),
                .init(category: .accommodation, description: "Experts' lodging", amountMinor: usd(6_000), currency: "USD", paidBy: .grant),
                .init(category: .venue, description: "Consultation meetings", amountMinor: usd(5_000), currency: "USD", paidBy: .coFinancing),
            ], instalments: [70, 30])
        },
        revisedPlan: nil,
        report: { partnerName in
            ResultsReport(
                indicators: [.init(name: "Informal workers covered", actual: 46)],
                outcomes: [.init(kind: .newKnowledge, description: "Costing of a benefit package with \(partnerName)'s method"),
                           .init(kind: .enhancedSkills, description: "The authority's actuaries trained in capitation rates")],
                lessons: ["Start capitation in one region and publish its rates"],
                feedback: .init(requestingCountry: "Numbers and tools we could use at once", partnerCountry: "Ghana's team knew its data well"))
        },
        beneficiary: DemoBeneficiary(institution: "National health insurance authority of Ghana (example account)", iban: "CH93 0076 2011 6238 5295 7"),
        twist: .paidInInstalments)
}
