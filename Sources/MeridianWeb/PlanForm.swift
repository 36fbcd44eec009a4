import Foundation
import MeridianCodes
import MeridianExchange
import MeridianFunding

/// The plan form: activities with their participants, budget lines, instalments and fund, as
/// typed (kept when a problem sends the form back) or as read from a plan file, each problem
/// as a catalogue key next to its row, and the ``VisitPlan`` it makes.
///
/// The checks say in the visitor's language what ``PlanCheck`` says in English; ``PlanCheck``
/// still runs, and a problem it finds that these missed is shown on its row as "not
/// accepted", so the two can never let an inconsistent plan through.
struct PlanForm: Sendable {
    struct Participant: Sendable {
        var name = "", institution = "", country = "", role = ""
        var isBlank: Bool { [name, institution, country, role].allSatisfy(PlanForm.isBlank) }
    }

    struct Activity: Sendable {
        var instrument = "", title = "", start = "", end = "", place = "", link = ""
        var participants: [Participant] = []
        var isBlank: Bool { [instrument, title, start, end, place, link].allSatisfy(PlanForm.isBlank) && participants.allSatisfy(\.isBlank) }
    }

    struct Line: Sendable {
        var category = "", description = "", amount = "", currency = "", paidBy = VisitPlan.Payer.grant.rawValue
        /// Who pays and the currency alone do not make a line: a row left empty is dropped.
        var isBlank: Bool { [category, description, amount].allSatisfy(PlanForm.isBlank) }
    }

    /// The most rows the form reads: every row a plan may hold (``PlanCheck``), so that a plan
    /// uploaded whole and shown in the form is saved whole (a cap below would drop rows unsaid).
    /// Participants per activity have no limit in a plan; the form reads 200, far beyond a visit.
    static let maximumActivities = PlanCheck.maximumActivities, maximumParticipants = 200, maximumLines = PlanCheck.maximumBudgetLines
    /// The empty rows a new form offers.
    static let blankActivities = 1, blankParticipants = 2, blankLines = 2

    var activities: [Activity] = []
    var budget: [Line] = []
    var instalments = "", fund = ""
    /// Row (`a0`, `a0_p1`, `b2`), `activities`, `budget`, `instalments`, `fund` or `file` → catalogue key.
    var problems: [String: String] = [:]

    init() {}

    init(_ form: FormBody) {
        // The form sends its rows numbered from 0 without gaps: reading stops at the first row
        // it did not send.
        for index in 0..<Self.maximumActivities where form.contains("a\(index)_title") {
            let p = "a\(index)_"
            var activity = Activity(instrument: form[p + "instrument"], title: form[p + "title"], start: form[p + "start"], end: form[p + "end"],
                                    place: form[p + "place"], link: form[p + "link"])
            for number in 0..<Self.maximumParticipants where form.contains("\(p)p\(number)_name") {
                let q = "\(p)p\(number)_"
                activity.participants.append(Participant(name: form[q + "name"], institution: form[q + "institution"],
                                                         country: form[q + "country"], role: form[q + "role"]))
            }
            while activity.participants.last?.isBlank == true { activity.participants.removeLast() }
            activities.append(activity)
        }
        for index in 0..<Self.maximumLines where form.contains("b\(index)_category") {
            let p = "b\(index)_"
            budget.append(Line(category: form[p + "category"], description: form[p + "description"], amount: form[p + "amount"],
                               currency: form[p + "currency"], paidBy: form[p + "paid_by"]))
        }
        while activities.last?.isBlank == true { activities.removeLast() }
        while budget.last?.isBlank == true { budget.removeLast() }
        instalments = form["instalments"]
        fund = form["fund"]
    }

    /// The form showing `plan` (a stored version, or a file just read).
    init(_ plan: VisitPlan) {
        activities = plan.activities.map { activity in
            Activity(instrument: activity.instrument.rawValue, title: activity.title, start: activity.start.description, end: activity.end.description,
                     place: activity.place ?? "", link: activity.link ?? "",
                     participants: activity.participants.map { Participant(name: $0.name, institution: $0.institution, country: $0.country, role: $0.role) })
        }
        budget = plan.budget.map { line in
            Line(category: line.category.rawValue, description: line.description,
                 amount: line.amount?.decimalText ?? String(line.amountMinor), currency: line.currency, paidBy: line.paidBy.rawValue)
        }
        instalments = plan.instalments.map { $0.map(String.init).joined(separator: ", ") } ?? ""
        fund = plan.fund ?? ""
    }

    /// The form with empty rows to type into: at least the blank rows of a new form, plus one.
    func withEmptyRows() -> PlanForm {
        var form = self
        for index in form.activities.indices {
            let wanted = max(form.activities[index].participants.count + 1, Self.blankParticipants)
            while form.activities[index].participants.count < min(wanted, Self.maximumParticipants) { form.activities[index].participants.append(Participant()) }
        }
        let activityRows = min(max(form.activities.count + (form.activities.isEmpty ? 0 : 1), Self.blankActivities), Self.maximumActivities)
        while form.activities.count < activityRows {
            form.activities.append(Activity(participants: Array(repeating: Participant(), count: Self.blankParticipants)))
        }
        let lineRows = min(max(form.budget.count + 1, Self.blankLines), Self.maximumLines)
        while form.budget.count < lineRows { form.budget.append(Line()) }
        return form
    }

    /// Checks every row; returns the plan when there is no problem.
    /// - Parameter today: activities must start after it (submission refuses them otherwise).
    mutating func validate(today: CalendarDay) -> VisitPlan? {
        problems = [:]
        var plan = VisitPlan(activities: [], budget: [])
        var activityRow: [Int] = [], participantRow: [[Int]] = [], lineRow: [Int] = []
        for (index, row) in activities.enumerated() where !row.isBlank {
            let field = "a\(index)"
            func flag(_ key: String, _ at: String? = nil) { if problems[at ?? field] == nil { problems[at ?? field] = key } }
            let instrument = Instrument(rawValue: row.instrument)
            if instrument == nil { flag(row.instrument.isEmpty ? "plan_problem_instrument" : "problem_invalid") }
            if Self.isBlank(row.title) { flag("problem_required") }
            let start = try? CalendarDay(row.start), end = try? CalendarDay(row.end)
            if start == nil || end == nil { flag("plan_problem_date") }
            if let start, let end, end < start { flag("plan_problem_dates_order") }
            if let start, start <= today { flag("plan_problem_past") }
            if let instrument {
                if instrument.isRemote {
                    if !(row.link.hasPrefix("https://") && row.link.count > 8) { flag("plan_problem_link") }
                } else if Self.isBlank(row.place) {
                    flag("plan_problem_place")
                }
            }
            if InputText.length(row.title) > InputText.Limit.title || InputText.length(row.place) > InputText.Limit.title || InputText.length(row.link) > 2_000 {
                flag("plan_problem_too_long")
            }
            var participants: [VisitPlan.Participant] = [], rows: [Int] = []
            for (number, person) in row.participants.enumerated() where !person.isBlank {
                let at = "\(field)_p\(number)"
                if [person.name, person.institution, person.role].contains(where: Self.isBlank) { flag("problem_required", at) }
                let country = person.country.trimmingCharacters(in: .whitespaces).uppercased()
                if !ISO3166.isAlpha3(country) { flag("plan_problem_country", at) }
                if [person.name, person.institution, person.role].contains(where: { InputText.length($0) > InputText.Limit.name }) { flag("plan_problem_too_long", at) }
                participants.append(.init(name: Self.trim(person.name), institution: Self.trim(person.institution), country: country,
                                          role: Self.trim(person.role)))
                rows.append(number)
            }
            if participants.isEmpty { flag("plan_problem_participants") }
            if let instrument, let start, let end {
                plan.activities.append(.init(instrument: instrument, title: Self.trim(row.title), start: start, end: end,
                                             place: Self.isBlank(row.place) ? nil : Self.trim(row.place),
                                             link: Self.isBlank(row.link) ? nil : Self.trim(row.link), participants: participants))
                activityRow.append(index)
                participantRow.append(rows)
            }
        }
        if activities.allSatisfy(\.isBlank) { problems["activities"] = "plan_problem_activity_needed" }
        for (index, row) in budget.enumerated() where !row.isBlank {
            let field = "b\(index)"
            func flag(_ key: String) { if problems[field] == nil { problems[field] = key } }
            let category = BudgetCategory(rawValue: row.category)
            if category == nil { flag(row.category.isEmpty ? "plan_problem_category" : "problem_invalid") }
            if Self.isBlank(row.description) { flag("problem_required") }
            if InputText.length(row.description) > InputText.Limit.title { flag("plan_problem_too_long") }
            let code = row.currency.trimmingCharacters(in: .whitespaces).uppercased()
            let currency = Currency(code: code)
            if currency == nil { flag("plan_problem_currency") }
            var amount: Money?
            if let currency {
                amount = try? MoneyParser(defaultCurrency: currency).parse(row.amount)
                if amount == nil || amount!.minorUnits <= 0 { flag("plan_problem_amount") }
            }
            let payer = VisitPlan.Payer(rawValue: row.paidBy)
            if payer == nil { flag("problem_invalid") }
            if let category, let amount, let payer {
                plan.budget.append(.init(category: category, description: Self.trim(row.description), amountMinor: amount.minorUnits,
                                         currency: code, paidBy: payer))
                lineRow.append(index)
            }
        }
        if budget.allSatisfy(\.isBlank) { problems["budget"] = "plan_problem_budget_needed" }
        if !Self.isBlank(instalments) {
            let parts = instalments.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "/" }).map { Int($0) }
            if parts.contains(nil) { problems["instalments"] = "plan_problem_instalments" } else { plan.instalments = parts.compactMap { $0 } }
        }
        let fund = Self.trim(self.fund)
        if !fund.isEmpty {
            if InputText.length(fund) > InputText.Limit.name { problems["fund"] = "plan_problem_too_long" } else { plan.fund = fund }
        }
        guard problems.isEmpty else { return nil }

        // The plan's own rules, row by row, for anything the checks above let through.
        let check = PlanCheck(plan)
        for problem in check.problems {
            let path = String(problem.prefix { $0 != ":" })
            var field = path
            if let activity = Self.index(after: "activities[", in: path) {
                field = activity < activityRow.count ? "a\(activityRow[activity])" : "activities"
                if let person = Self.index(after: "participants[", in: path), activity < participantRow.count, person < participantRow[activity].count {
                    field += "_p\(participantRow[activity][person])"
                }
            } else if let line = Self.index(after: "budget[", in: path) {
                field = line < lineRow.count ? "b\(lineRow[line])" : "budget"
            } else if path == "budget" {
                field = "budget"
                if check.totals.grant == nil { problems[field] = problems[field] ?? "plan_problem_no_grant_line" }
            } else if !["instalments", "activities"].contains(path) {
                field = "activities"
            }
            if field == "instalments" { problems[field] = problems[field] ?? "plan_problem_instalments" }
            if problems[field] == nil { problems[field] = "problem_invalid" }
        }
        return problems.isEmpty ? plan : nil
    }

    /// The number inside `marker…]` in a problem's path (`activities[2].title` → 2).
    static func index(after marker: String, in path: String) -> Int? {
        guard let range = path.range(of: marker) else { return nil }
        return Int(path[range.upperBound...].prefix { $0.isNumber })
    }

    static func isBlank(_ text: String) -> Bool { text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    static func trim(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
}
