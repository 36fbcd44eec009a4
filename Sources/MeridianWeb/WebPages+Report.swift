import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MeridianCodes
import MeridianExchange
import MeridianIdentity
import MeridianService

/// The results report: the reports sent so far (each indicator's actual set against the
/// request's baseline and target) and, while the workflow waits for the report from the
/// visitor's country, its form.
extension WebPages {
    func reportPage(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let id = try Self.exchangeID(text)
            let done = request.uri.queryParameters.get("done") == "submitted" ? "report_done" : nil
            return try await renderReport(id, caller: caller, visitor: visitor, form: nil, done: done)
        }
    }

    func submitReport(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let body = try await FormBody.read(request)
            try checkCSRF(body, visitor)
            let id = try Self.exchangeID(text)
            let indicators = try await service.exchange(id, by: caller).request.request.indicators
            var form = ReportForm(body, indicatorCount: indicators.count)
            guard let report = form.validate(against: indicators) else {
                return try await renderReport(id, caller: caller, visitor: visitor, form: form, status: .unprocessableContent)
            }
            _ = try await service.submitReport(report, exchange: id, key: Self.idempotencyKey(body, action: "report", caller: caller), by: caller)
            return redirect("/exchanges/\(id.uuidString.lowercased())/report?done=submitted")
        }
    }

    func renderReport(_ id: UUID, caller: Caller, visitor: Visitor, form: ReportForm?, done: String? = nil,
                      status httpStatus: HTTPResponse.Status = .ok) async throws -> Response {
        let language = visitor.language, formats = WebFormats.of(language)
        let status = try await service.status(id, by: caller)
        let view = try await service.exchange(id, by: caller)
        let indicators = view.request.request.indicators
        var values = header(view: view, status: status, language: language)
        if let done { values["done"] = messages.text(done, language) }
        values["reports"] = view.reports.reversed().map { stored -> [String: Any] in
            let report = stored.report
            var item: [String: Any] = [
                "version": stored.version, "by": stored.submittedBy, "at": formats.dateTime(stored.submittedAt),
                "actuals": indicators.map { indicator -> [String: Any] in
                    let actual = report.indicators.first { $0.name.lowercased() == indicator.name.lowercased() }?.actual
                    return ["r_name": indicator.name, "r_unit": indicator.unit, "r_baseline": formats.number(indicator.baseline),
                            "r_target": formats.number(indicator.target), "r_actual": actual.map(formats.number) ?? "–"]
                },
                "outcomes": report.outcomes.map { outcome -> [String: Any] in
                    ["r_kind": messages.text("report_outcome_" + Self.keyPart(outcome.kind.rawValue), language), "r_text": outcome.description]
                },
                "lessons": report.lessons, "r_requesting": report.feedback.requestingCountry, "r_partner": report.feedback.partnerCountry,
            ]
            if let review = stored.review {
                item["review"] = messages.text(review.decision == "accept" ? "report_review_accepted" : "report_review_revision", language)
                if let comment = review.comment { item["reviewComment"] = comment }
            }
            return item
        }
        values["hasReports"] = !view.reports.isEmpty
        if Self.myEvents(status, caller: caller).contains("submit-report") {
            let form = form ?? ReportForm(indicatorCount: indicators.count)
            func problem(_ field: String) -> String { form.problems[field].map { messages.text($0, language) } ?? "" }
            values["form"] = [
                "indicators": indicators.enumerated().map { index, indicator -> [String: Any] in
                    ["i": index, "f_name": indicator.name, "f_unit": indicator.unit, "f_baseline": formats.number(indicator.baseline),
                     "f_target": formats.number(indicator.target), "f_value": index < form.actuals.count ? form.actuals[index] : "",
                     "fproblem": problem("actual\(index)")]
                },
                "outcomesProblem": problem("outcomes"),
                "outcomes": ResultsReport.OutcomeKind.allCases.map { kind -> [String: Any] in
                    ["kind": kind.rawValue, "o_label": messages.text("report_outcome_" + Self.keyPart(kind.rawValue), language),
                     "o_value": form.outcomes[kind.rawValue] ?? "", "oproblem": problem("outcome-\(kind.rawValue)")]
                },
                "lessons": form.lessons, "lessonsProblem": problem("lessons"),
                "requesting": form.feedbackRequesting, "requestingProblem": problem("feedback_requesting"),
                "partner": form.feedbackPartner, "partnerProblem": problem("feedback_partner"),
            ] as [String: Any]
            values["hasProblems"] = !form.problems.isEmpty
        }
        return try render("report", title: messages.text("report_title", language), values: values, visitor: visitor,
                          back: "/exchanges/\(id.uuidString.lowercased())/report", status: httpStatus)
    }
}
