import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MeridianCodes
import MeridianExchange
import MeridianFunding
import MeridianIdentity
import MeridianService

/// The exchange's plan: the latest version shown whole and, while the workflow waits for the
/// plan from the visitor's country, its upload (the file `meridian exchange plan import`
/// reads), a form for its fields, and its submission for funding.
extension WebPages {
    /// The plan pages' addresses (``add(to:)`` calls this once).
    func addPlanPages<Context: RequestContext>(to router: Router<Context>) {
        router.get("exchanges/{id}/plan") { request, context in
            try await planPage(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.post("exchanges/{id}/plan") { request, context in
            try await savePlan(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.post("exchanges/{id}/plan/upload") { request, context in
            try await uploadPlan(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.post("exchanges/{id}/plan/submit") { request, context in
            try await submitPlan(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.get("exchanges/{id}/grant") { request, context in
            try await grantPage(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.get("exchanges/{id}/report") { request, context in
            try await reportPage(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.post("exchanges/{id}/report") { request, context in
            try await submitReport(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
    }

    func planPage(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let id = try Self.exchangeID(text)
            let done = request.uri.queryParameters.get("done").flatMap { ["imported", "submitted"].contains($0) ? "plan_done_\($0)" : nil }
            return try await renderPlan(id, caller: caller, visitor: visitor, form: nil, done: done)
        }
    }

    /// The fields form: checked here in the visitor's language, then stored as a new version.
    func savePlan(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let body = try await FormBody.read(request)
            try checkCSRF(body, visitor)
            let id = try Self.exchangeID(text)
            return try await importPlan(PlanForm(body), id: id, caller: caller, visitor: visitor)
        }
    }

    /// The most a plan upload may send: a plan file at the CLI's limit (1 MiB,
    /// `FileDecoding.largestFile`) and the form's other fields.
    static let planUploadLimit = (1 << 20) + 16 * 1024

    /// The plan file, sent as `multipart/form-data`: read as the CLI reads it, then checked and
    /// stored like the fields form (its problems shown in that form, filled with the file).
    func uploadPlan(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let id = try Self.exchangeID(text)
            let form: MultipartForm
            do {
                form = try await MultipartForm.read(request, limit: Self.planUploadLimit)
            } catch MultipartForm.Failure.tooLarge {
                // Nothing is read or changed; the page only says why.
                return try await renderPlan(id, caller: caller, visitor: visitor, form: nil, fileProblem: "plan_problem_file_size",
                                            status: .unprocessableContent)
            } catch MultipartForm.Failure.malformed {
                return try await renderPlan(id, caller: caller, visitor: visitor, form: nil, fileProblem: "plan_problem_file_missing",
                                            status: .unprocessableContent)
            }
            guard CSRF.matches(form["csrf"], visitor.csrfToken) else { throw PageError.csrf }
            guard let part = form.files("plan").first, !part.bytes.isEmpty else {
                return try await renderPlan(id, caller: caller, visitor: visitor, form: nil, fileProblem: "plan_problem_file_missing",
                                            status: .unprocessableContent)
            }
            let name = String(InputText.printable(part.fileName ?? "").prefix(100))
            let plan: VisitPlan
            do {
                plan = try VisitPlan.decode(Data(part.bytes), file: name.isEmpty ? "plan" : name)
            } catch {
                let detail = ServiceError.classify(error)?.message ?? "\(error)"
                return try await renderPlan(id, caller: caller, visitor: visitor, form: nil, fileProblem: "plan_problem_file",
                                            fileDetail: detail, status: .unprocessableContent)
            }
            return try await importPlan(PlanForm(plan), id: id, caller: caller, visitor: visitor)
        }
    }

    /// Checks `form` and stores its plan through the service; the form comes back (422) with
    /// each problem at its row when it is not a whole plan or the fund it names cannot pay it.
    func importPlan(_ form: PlanForm, id: UUID, caller: Caller, visitor: Visitor) async throws -> Response {
        var form = form
        guard let plan = form.validate(today: CalendarDay(Date())) else {
            return try await renderPlan(id, caller: caller, visitor: visitor, form: form, status: .unprocessableContent)
        }
        do {
            _ = try await service.importPlan(plan, exchange: id, by: caller)
        } catch let error where plan.fund != nil && Self.isFundProblem(error) {
            form.problems["fund"] = "plan_problem_fund"
            return try await renderPlan(id, caller: caller, visitor: visitor, form: form, status: .unprocessableContent)
        }
        return redirect("/exchanges/\(id.uuidString.lowercased())/plan?done=imported")
    }

    func submitPlan(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let body = try await FormBody.read(request)
            try checkCSRF(body, visitor)
            let id = try Self.exchangeID(text)
            do {
                _ = try await service.submitPlan(id, key: Self.idempotencyKey(body, action: "plan-submit", caller: caller), by: caller)
            } catch let error where ServiceError.classify(error)?.kind == .invalidData {
                // The plan no longer holds (an activity not ahead any more, no fund can pay it).
                return try await renderPlan(id, caller: caller, visitor: visitor, form: nil, submitProblem: true, status: .unprocessableContent)
            }
            return redirect("/exchanges/\(id.uuidString.lowercased())/plan?done=submitted")
        }
    }

    /// Whether the service refused the plan for the fund it names (the exchange module's
    /// message names the fund; it has no code of its own).
    static func isFundProblem(_ error: any Error) -> Bool {
        guard let classified = ServiceError.classify(error) else { return false }
        return [.invalidData, .notFound].contains(classified.kind) && classified.message.contains("fund")
    }

    /// The plan page: the latest version, and the forms when the plan waits for the visitor.
    func renderPlan(_ id: UUID, caller: Caller, visitor: Visitor, form: PlanForm?, done: String? = nil, fileProblem: String? = nil,
                    fileDetail: String? = nil, submitProblem: Bool = false, status httpStatus: HTTPResponse.Status = .ok) async throws -> Response {
        let language = visitor.language, formats = WebFormats.of(language)
        let status = try await service.status(id, by: caller)
        let view = try await service.exchange(id, by: caller)
        let mine = Self.myEvents(status, caller: caller)
        let latest = view.plans.last
        let canWrite = mine.contains("submit-plan")
        let idText = id.uuidString.lowercased()
        var values = header(view: view, status: status, language: language)
        values["canWrite"] = canWrite
        values["canSubmit"] = canWrite && latest != nil && latest?.submittedAt == nil
        if let done { values["done"] = messages.text(done, language) }
        if submitProblem { values["submitProblem"] = messages.text("plan_problem_submit", language) }
        if let latest { values["plan"] = planValues(latest, formats: formats, language: language) }
        if canWrite {
            let shown = (form ?? latest.map { PlanForm($0.plan) } ?? PlanForm()).withEmptyRows()
            values["form"] = formValues(shown, language: language)
            values["hasProblems"] = !(form?.problems.isEmpty ?? true)
            if let fileProblem { values["fileProblem"] = messages.text(fileProblem, language) }
            if let fileDetail { values["fileDetail"] = fileDetail }
        }
        return try render("plan", title: messages.text("plan_title", language), values: values, visitor: visitor,
                          back: "/exchanges/\(idText)/plan", status: httpStatus)
    }

    /// What every page of one exchange shows at its top: its goal, id and status bar.
    func header(view: ExchangeView, status: Exchanges.Status, language: WebLanguage) -> [String: Any] {
        [
            "id": view.id.uuidString.lowercased(), "goal": view.request.request.developmentGoal,
            "stepbar": stepBars.html(state: status.state, label: status.publicStep, language: language),
        ]
    }

    /// The events the workflow waits for from the caller (her role, and her country for officials).
    static func myEvents(_ status: Exchanges.Status, caller: Caller) -> Set<String> {
        Set(status.waitingFor.filter { isMe($0, caller: caller, exchange: status) }.flatMap(\.events))
    }

    /// A stored plan for reading: activities with dates and participants, budget lines with
    /// money written for the language, and its totals.
    func planValues(_ stored: StoredPlan, formats: WebFormats, language: WebLanguage) -> [String: Any] {
        let plan = stored.plan
        var values: [String: Any] = [
            "version": stored.version, "author": stored.author, "created": formats.dateTime(stored.createdAt),
            "activities": plan.activities.map { activity -> [String: Any] in
                [
                    "d_title": activity.title, "d_instrument": messages.text("instrument_" + Self.keyPart(activity.instrument.rawValue), language),
                    "d_dates": "\(formats.day(activity.start)) – \(formats.day(activity.end))",
                    "d_place": activity.place ?? "", "d_link": activity.link ?? "",
                    "people": activity.participants.map { person -> [String: Any] in
                        ["d_name": person.name, "d_institution": person.institution, "d_country": person.country, "d_role": person.role]
                    },
                ]
            },
            "lines": plan.budget.map { line -> [String: Any] in
                [
                    "d_category": messages.text("plan_category_" + Self.keyPart(line.category.rawValue), language),
                    "d_description": line.description,
                    "d_payer": messages.text("plan_payer_" + Self.keyPart(line.paidBy.rawValue), language),
                    "d_amount": line.amount.map { formats.money($0) } ?? "\(line.amountMinor) \(line.currency)",
                ]
            },
            "instalments": plan.instalments.map { $0.map { "\($0) %" }.joined(separator: " + ") } ?? "",
            "fund": plan.fund ?? "",
        ]
        if let grant = stored.totals.grant { values["grantTotal"] = formats.money(grant) }
        if let coFinancing = stored.totals.coFinancing { values["coFinancingTotal"] = formats.money(coFinancing) }
        if let submitted = stored.submittedAt { values["submitted"] = formats.dateTime(submitted) }
        return values
    }

    /// The plan form's rows for the template. Each level's keys are its own (`a_…`, `p_…`,
    /// `b_…`): Mustache looks a missing key up in the enclosing rows, so shared names would
    /// show an activity's problem on its participants.
    func formValues(_ form: PlanForm, language: WebLanguage) -> [String: Any] {
        func problem(_ field: String) -> String { form.problems[field].map { messages.text($0, language) } ?? "" }
        func options(_ codes: [String], prefix: String, chosen: String) -> [[String: Any]] {
            codes.map { ["code": $0, "label": messages.text(prefix + Self.keyPart($0), language), "selected": $0 == chosen] }
        }
        return [
            "activitiesProblem": problem("activities"), "budgetProblem": problem("budget"),
            "instalments": form.instalments, "instalmentsProblem": problem("instalments"),
            "fund": form.fund, "fundProblem": problem("fund"),
            "activities": form.activities.enumerated().map { index, activity -> [String: Any] in
                [
                    "a": index, "a_number": index + 1, "aproblem": problem("a\(index)"),
                    "instruments": options(Instrument.allCases.map(\.rawValue), prefix: "instrument_", chosen: activity.instrument),
                    "a_title": activity.title, "a_start": activity.start, "a_end": activity.end, "a_place": activity.place, "a_link": activity.link,
                    "participants": activity.participants.enumerated().map { number, person -> [String: Any] in
                        ["a": index, "p": number, "p_number": number + 1, "pproblem": problem("a\(index)_p\(number)"),
                         "p_name": person.name, "p_institution": person.institution, "p_country": person.country, "p_role": person.role]
                    },
                ]
            },
            "lines": form.budget.enumerated().map { index, line -> [String: Any] in
                [
                    "b": index, "b_number": index + 1, "bproblem": problem("b\(index)"),
                    "categories": options(BudgetCategory.allCases.map(\.rawValue), prefix: "plan_category_", chosen: line.category),
                    "payers": options(VisitPlan.Payer.allCases.map(\.rawValue), prefix: "plan_payer_", chosen: line.paidBy),
                    "b_description": line.description, "b_amount": line.amount, "b_currency": line.currency,
                ]
            },
        ]
    }
}

extension WebFormats {
    /// A calendar day (an activity's start) as the language writes dates.
    func day(_ day: CalendarDay) -> String {
        let components = DateComponents(year: day.year, month: day.month, day: day.day)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components).map(date) ?? day.description
    }

    /// An amount of money as the language writes it, with its currency's own minor digits.
    func money(_ money: Money) -> String {
        self.money(minorUnits: money.minorUnits, currency: money.currency.code, digits: money.currency.exponent)
    }
}
