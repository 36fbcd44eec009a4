import Foundation
import MeridianCodes
import MeridianFunding

/// The consistency checks of a visit plan, all problems at once, and its totals by payer.
///
/// At import a plan must be whole (activities with participants, dates in order, positive
/// budget lines, one currency per payer); at submission its activities must also still lie
/// ahead. The same checks run again in the `check-plan-consistency` task.
public struct PlanCheck: Sendable, Equatable {
    /// What the grant and the co-financing come to, per payer in its one currency.
    public struct Totals: Sendable, Codable, Equatable {
        /// What the plan asks of the trust fund (`nil`: no line is paid by the grant).
        public var grant: Money?
        /// What the requesting country pays itself (`nil`: nothing).
        public var coFinancing: Money?

        public init(grant: Money? = nil, coFinancing: Money? = nil) {
            self.grant = grant
            self.coFinancing = coFinancing
        }
    }

    public var problems: [String]
    public var totals: Totals

    /// The most activities and budget lines a plan may hold (its file, its form).
    public static let maximumActivities = 100, maximumBudgetLines = 200

    /// Checks `plan`; with `today`, also that every activity starts after it.
    public init(_ plan: VisitPlan, today: CalendarDay? = nil) {
        var problems: [String] = []
        if plan.activities.isEmpty { problems.append("activities: the plan needs at least one activity") }
        if plan.activities.count > Self.maximumActivities { problems.append("activities: at most \(Self.maximumActivities), not \(plan.activities.count)") }
        if plan.budget.count > Self.maximumBudgetLines { problems.append("budget: at most \(Self.maximumBudgetLines) lines, not \(plan.budget.count)") }
        for (index, activity) in plan.activities.enumerated() {
            let field = "activities[\(index)]"
            if activity.title.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(field).title: is empty") }
            for (name, text, maximum) in [("title", activity.title, InputText.Limit.title), ("place", activity.place ?? "", InputText.Limit.title),
                                          ("link", activity.link ?? "", 2_000)] {
                if let problem = InputText.problem(text, field: "\(field).\(name)", maximum: maximum, multiline: false) { problems.append(problem) }
            }
            if activity.end < activity.start {
                problems.append("\(field): ends \(activity.end), before it starts \(activity.start)")
            }
            if let today, activity.start <= today {
                problems.append("\(field): starts \(activity.start), which is not ahead of today (\(today)); move it or drop it")
            }
            if activity.instrument.isRemote {
                let link = activity.link ?? ""
                if !(link.hasPrefix("https://") && link.count > 8) {
                    problems.append("\(field).link: a videoconference needs its meeting link (https://…)")
                }
            } else if (activity.place ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append("\(field).place: a \(activity.instrument.rawValue) needs the place where it happens")
            }
            if activity.participants.isEmpty {
                problems.append("\(field).participants: every activity needs at least one participant")
            }
            for (number, participant) in activity.participants.enumerated() {
                let at = "\(field).participants[\(number)]"
                for (name, value) in [("name", participant.name), ("institution", participant.institution), ("role", participant.role)]
                where value.trimmingCharacters(in: .whitespaces).isEmpty {
                    problems.append("\(at).\(name): is empty")
                }
                for (name, value) in [("name", participant.name), ("institution", participant.institution), ("role", participant.role)] {
                    if let problem = InputText.problem(value, field: "\(at).\(name)", maximum: InputText.Limit.name, multiline: false) { problems.append(problem) }
                }
                if !Self.isCountryCode(participant.country) {
                    let hint = ISO3166.alpha3(participant.country).map { "; write \($0)" } ?? ""
                    problems.append("\(at).country: '\(InputText.printable(participant.country))' is not an ISO 3166-1 alpha-3 code\(hint)")
                }
            }
        }
        if plan.budget.isEmpty { problems.append("budget: the plan needs at least one budget line") }
        if let instalments = plan.instalments {
            if instalments.isEmpty || instalments.count > 4 || instalments.contains(where: { !(1...100).contains($0) })
                || instalments.reduce(0, +) != 100 {
                problems.append("instalments: \(instalments) must be one to four whole percentages of the grant, each 1–100, adding up to 100 (such as [70, 30])")
            }
        }
        var totals = Totals()
        for (index, line) in plan.budget.enumerated() {
            let field = "budget[\(index)]"
            if line.description.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(field).description: is empty") }
            if let problem = InputText.problem(line.description, field: "\(field).description", maximum: InputText.Limit.title, multiline: false) {
                problems.append(problem)
            }
            guard let currency = Currency(code: line.currency) else {
                problems.append("\(field).currency: '\(InputText.printable(line.currency))' is not an ISO 4217 currency code (such as USD, EUR, XOF)")
                continue
            }
            guard line.amountMinor > 0 else {
                problems.append("\(field).amount_minor: must be positive (integer minor units), not \(line.amountMinor)")
                continue
            }
            guard line.amountMinor <= Money.largestMinorUnits else {
                problems.append("\(field).amount_minor: \(line.amountMinor) is more than Meridian accepts (\(Money.largestMinorUnits) minor units)")
                continue
            }
            let amount = Money(minorUnits: line.amountMinor, currency: currency)
            switch line.paidBy {
            case .grant:
                Self.add(amount, to: &totals.grant, field: field, payer: "grant", problems: &problems)
            case .coFinancing:
                Self.add(amount, to: &totals.coFinancing, field: field, payer: "co-financing", problems: &problems)
            }
        }
        if !plan.budget.isEmpty, totals.grant == nil, !problems.contains(where: { $0.hasPrefix("budget[") }) {
            problems.append("budget: no line is paid by the grant; a plan asks the trust fund for something (paid_by \"grant\")")
        }
        self.problems = problems
        self.totals = totals
    }

    public var isConsistent: Bool { problems.isEmpty }

    private static func add(_ amount: Money, to total: inout Money?, field: String, payer: String, problems: inout [String]) {
        guard let sum = total else {
            total = amount
            return
        }
        guard sum.currency == amount.currency else {
            problems.append("\(field).currency: the \(payer) lines are in \(sum.currency), this one in \(amount.currency); convert it so the \(payer) has one currency")
            return
        }
        do {
            total = try sum.adding(amount)
        } catch {
            problems.append("\(field).amount_minor: the \(payer) total overflows")
        }
    }

    static func isCountryCode(_ text: String) -> Bool { ISO3166.isAlpha3(text) }
}
