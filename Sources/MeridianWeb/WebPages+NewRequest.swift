import MeridianCodes
import Foundation
import Hummingbird
import Logging
import MeridianExchange
import MeridianIdentity
import MeridianService

/// The new-request form: every problem next to its field, the input kept.
extension WebPages {
    func newRequestPage(_ request: Request, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            try caller.require(anyOf: [.official], to: "filing a request")
            return try renderForm(RequestForm(), visitor: visitor, status: .ok, accountProblem: caller.user.country == nil)
        }
    }

    func fileRequest(_ request: Request, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let body = try await FormBody.read(request)
            try checkCSRF(body, visitor)
            try caller.require(anyOf: [.official], to: "filing a request")
            var form = RequestForm(body)
            guard let country = caller.user.country else {
                return try renderForm(form, visitor: visitor, status: .unprocessableContent, accountProblem: true)
            }
            guard let exchangeRequest = form.validate(country: country) else {
                return try renderForm(form, visitor: visitor, status: .unprocessableContent, accountProblem: false)
            }
            do {
                let filed = try await service.fileRequest(exchangeRequest, key: Self.idempotencyKey(form.key, caller: caller), by: caller)
                return redirect("/exchanges/\(filed.exchangeID.uuidString.lowercased())?done=filed")
            } catch let error where Self.needsCountryDetails(error) {
                // The knowledge base does not know the country: its name, region and income
                // group are then needed (the service's rule); say so at those fields.
                for field in ["country_name", "region", "income_group"] where form.isBlank(field) {
                    form.problems[field] = "problem_country_details"
                }
                return try renderForm(form, visitor: visitor, status: .unprocessableContent, accountProblem: false)
            }
        }
    }

    /// Whether filing was refused because the knowledge base does not know the country (the
    /// domain's error names `country_name`; it has no code of its own).
    static func needsCountryDetails(_ error: any Error) -> Bool {
        guard let classified = ServiceError.classify(error) else { return false }
        return [.invalidData, .invalidArgument].contains(classified.kind) && classified.message.contains("country_name")
    }

    /// The form's page, with the values typed so far and each problem in the visitor's language.
    func renderForm(_ form: RequestForm, visitor: Visitor, status: HTTPResponse.Status, accountProblem: Bool) throws -> Response {
        let language = visitor.language
        func problem(_ field: String) -> String { form.problems[field].map { messages.text($0, language) } ?? "" }
        let text: [[String: Any]] = [("country_name", "field_country_name", false, ""), ("development_goal", "goal", true, "hint_text"),
                                     ("institutional_challenge", "challenge", true, "hint_text"), ("change_objective", "objective", true, "hint_text")]
            .map { (name: String, label: String, long: Bool, hint: String) -> [String: Any] in
                ["name": name, "label": messages.text(label, language), "long": long, "hint": hint.isEmpty ? "" : messages.text(hint, language),
                 "value": form.text[name, default: ""], "problem": problem(name)]
            }
        func options(_ codes: [String], prefix: String, chosen: Set<String>) -> [[String: Any]] {
            codes.map { code -> [String: Any] in
                ["code": code, "label": messages.text(prefix + Self.keyPart(code), language), "checked": chosen.contains(code)]
            }
        }
        let selects: [[String: Any]] = [
            ["name": "region", "label": messages.text("field_region", language), "problem": problem("region"),
             "options": options(Region.allCases.map(\.rawValue), prefix: "region_", chosen: [form.region])],
            ["name": "income_group", "label": messages.text("field_income", language), "problem": problem("income_group"),
             "options": options(IncomeGroup.allCases.map(\.rawValue), prefix: "income_", chosen: [form.income])],
        ]
        let groups: [[String: Any]] = [
            ["name": "sectors", "label": messages.text("sectors", language), "problem": problem("sectors"),
             "options": options(Sector.allCases.map(\.rawValue), prefix: "sector_", chosen: Set(form.sectors))],
            ["name": "instruments", "label": messages.text("instruments", language), "problem": problem("instruments"),
             "options": options(Instrument.allCases.map(\.rawValue), prefix: "instrument_", chosen: Set(form.instruments))],
        ]
        let rows: [[String: Any]] = form.indicators.enumerated().map { index, row -> [String: Any] in
            ["index": index, "number": index + 1, "name": row.name, "unit": row.unit, "baseline": row.baseline, "target": row.target,
             "problem": problem("indicator\(index)")]
        }
        return try render("new", title: messages.text("new_title", language),
                          values: ["text": text, "selects": selects, "groups": groups, "indicatorRows": rows,
                                   "hasProblems": !form.problems.isEmpty, "accountProblem": accountProblem, "key": form.key],
                          visitor: visitor, back: "/exchanges/new", status: status)
    }
}
