import Foundation
import MeridianCodes
import MeridianExchange

/// The results report form: each request indicator's actual value, the intermediate outcomes
/// achieved, lessons (one a line) and both countries' feedback, as typed (kept when a problem
/// sends the form back), each problem as a catalogue key next to its field.
///
/// ``ResultsReport/problems(against:)`` still runs after these checks; a problem it finds that
/// they missed is shown at its field as "not accepted".
struct ReportForm: Sendable {
    var actuals: [String]
    /// Outcome kind (`new-knowledge`…) → what changed.
    var outcomes: [String: String] = [:]
    var lessons = "", feedbackRequesting = "", feedbackPartner = ""
    /// `actual0`…, `outcomes`, `outcome-KIND`, `lessons`, `feedback_requesting`, `feedback_partner` → catalogue key.
    var problems: [String: String] = [:]

    init(indicatorCount: Int) {
        actuals = Array(repeating: "", count: indicatorCount)
    }

    init(_ form: FormBody, indicatorCount: Int) {
        actuals = (0..<indicatorCount).map { form["actual\($0)"] }
        for kind in ResultsReport.OutcomeKind.allCases { outcomes[kind.rawValue] = form["outcome-\(kind.rawValue)"] }
        lessons = form["lessons"]
        feedbackRequesting = form["feedback_requesting"]
        feedbackPartner = form["feedback_partner"]
    }

    /// Checks every field against the request's indicators; returns the report when there is no problem.
    mutating func validate(against indicators: [Indicator]) -> ResultsReport? {
        problems = [:]
        var actual: [ResultsReport.Actual] = []
        for (index, indicator) in indicators.enumerated() {
            let text = index < actuals.count ? actuals[index] : ""
            if PlanForm.isBlank(text) { problems["actual\(index)"] = "problem_required"; continue }
            guard let value = RequestForm.number(text) else { problems["actual\(index)"] = "problem_number"; continue }
            actual.append(.init(name: indicator.name, actual: value))
        }
        var outcomes: [ResultsReport.Outcome] = []
        for kind in ResultsReport.OutcomeKind.allCases {
            let text = PlanForm.trim(self.outcomes[kind.rawValue] ?? "")
            guard !text.isEmpty else { continue }
            if text.count < 10 { problems["outcome-\(kind.rawValue)"] = "problem_too_short" }
            else if InputText.length(text) > InputText.Limit.paragraph { problems["outcome-\(kind.rawValue)"] = "problem_too_long" }
            outcomes.append(.init(kind: kind, description: text))
        }
        if outcomes.isEmpty { problems["outcomes"] = "report_problem_outcome_needed" }
        let lessons = self.lessons.components(separatedBy: .newlines).map(PlanForm.trim).filter { !$0.isEmpty }
        if lessons.isEmpty { problems["lessons"] = "problem_required" }
        else if lessons.count > 50 { problems["lessons"] = "report_problem_lessons_count" }
        else if lessons.contains(where: { InputText.length($0) > InputText.Limit.paragraph }) { problems["lessons"] = "problem_too_long" }
        for (field, text) in [("feedback_requesting", feedbackRequesting), ("feedback_partner", feedbackPartner)] {
            if PlanForm.isBlank(text) { problems[field] = "problem_required" }
            else if InputText.length(text) > InputText.Limit.paragraph { problems[field] = "problem_too_long" }
        }
        guard problems.isEmpty else { return nil }

        let report = ResultsReport(indicators: actual, outcomes: outcomes, lessons: lessons,
                                   feedback: .init(requestingCountry: PlanForm.trim(feedbackRequesting), partnerCountry: PlanForm.trim(feedbackPartner)))
        // The report's own rules, field by field, for anything the checks above let through.
        for problem in report.problems(against: indicators) {
            let path = String(problem.prefix { $0 != ":" })
            let field: String
            if let index = PlanForm.index(after: "outcomes[", in: path), index < outcomes.count {
                field = "outcome-\(outcomes[index].kind.rawValue)"
            } else if path.hasPrefix("lessons") {
                field = "lessons"
            } else if path == "feedback.requesting_country" {
                field = "feedback_requesting"
            } else if path == "feedback.partner_country" {
                field = "feedback_partner"
            } else if path.hasPrefix("indicators") {
                field = "actual\(PlanForm.index(after: "indicators[", in: path) ?? 0)"
            } else {
                field = "outcomes"
            }
            if problems[field] == nil { problems[field] = "problem_invalid" }
        }
        return problems.isEmpty ? report : nil
    }
}
