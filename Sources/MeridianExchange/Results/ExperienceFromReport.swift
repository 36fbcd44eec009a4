import Foundation
import MeridianFunding

/// Turns a closed exchange into an experience of the requesting country, so that a later
/// request can be matched against what it did and achieved.
///
/// The problem is the request's challenge and goal; the approach is the change objective,
/// what the exchange did and the lessons; the outcomes are the intermediate outcomes and the
/// indicators' actuals against baseline and target. The evidence is the country's own report
/// (`reported`), marked self-reported, which the matcher weighs below independent evidence. The programme's name holds the exchange's id, so publishing again updates it.
enum ExperienceFromReport {
    static func make(id: UUID, now: Date, request: ExchangeRequest, partner: String?, plan: VisitPlan?, report: ResultsReport) throws -> Experience {
        guard let name = request.countryName, let region = request.region, let income = request.incomeGroup else {
            throw ExchangeError(.invalidData, "the request of \(id) lacks its country's name, region or income group")
        }
        let dates = plan?.activities.flatMap { [$0.start, $0.end] } ?? []
        let startYear = dates.min()?.year ?? Calendar(identifier: .gregorian).component(.year, from: now)
        let endYear = dates.max()?.year ?? startYear
        let activities = plan?.activities.map { "\($0.instrument.rawValue.replacingOccurrences(of: "-", with: " ")) (\($0.title))" } ?? []
        var approach = "Knowledge exchange with \(partner ?? "a partner country") to \(request.changeObjective)"
        if !activities.isEmpty { approach += " Activities: " + activities.joined(separator: "; ") + "." }
        approach += " Lessons: " + report.lessons.joined(separator: " ")
        let byName = Dictionary(request.indicators.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let actuals = report.indicators.compactMap { actual in
            byName[actual.name.lowercased()].map { "\($0.name): \(ResultsReport.progress(actual.actual, of: $0))" }
        }
        let outcomes = report.outcomes.map { "\($0.kind.rawValue.replacingOccurrences(of: "-", with: " ")): \($0.description)" }
            .joined(separator: " ") + " Indicators: " + actuals.joined(separator: "; ") + "."
        let shortID = String(id.uuidString.lowercased().prefix(8))
        let objective = MatchSummary.shorten(request.changeObjective, to: 150)
        return Experience(
            countryCode: request.country, countryName: name, region: region, incomeGroup: income, sectors: request.sectors,
            programme: "Knowledge exchange \(shortID): \(objective)", startYear: startYear, endYear: endYear,
            problem: clip(request.institutionalChallenge + " " + request.developmentGoal), approach: clip(approach),
            outcomes: clip(outcomes), outcomeStrength: .reported, sources: ["meridian:exchange/\(id.uuidString.lowercased())"],
            provenance: "Self-reported: the results report of Meridian exchange \(id.uuidString.lowercased()), reviewed by its program manager; not independently checked",
            selfReported: true)
    }

    /// The experiences table holds at most 4,000 characters per text.
    private static func clip(_ text: String) -> String {
        text.count <= 4_000 ? text : MatchSummary.shorten(text, to: 3_990)
    }
}
