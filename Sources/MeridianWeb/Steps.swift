/// The public steps an exchange goes through, as the status bar shows them.
///
/// A state's step is the one its workflow definition names (`public-step`, passed in as
/// `label`); for definitions written before the attribute existed (knowledge-exchange v1 and
/// v2) the table below maps the states as before. Internal states (escalations, overdue
/// reports, payments waiting at the bank) show as the public step they belong to, as grantee
/// portals do. A state neither knows shows no current step rather than a wrong one.
enum PublicStep: String, CaseIterable, Sendable {
    case request, screening, matching, partner, plan, funding, payment, implementation, results, closed

    /// Workflow state → public step.
    static let table: [String: PublicStep] = [
        "draft": .request, "submitted": .request,
        "screening": .screening, "screening-escalated": .screening, "information-requested": .screening,
        "matching": .matching, "match-review": .matching,
        "partner-selection": .partner, "partner-confirmation": .partner,
        "planning": .plan,
        "funding-review": .funding,
        "disbursement": .payment, "payment-pending": .payment,
        "implementation": .implementation, "report-overdue": .implementation,
        "results-review": .results,
        "closed": .closed, "declined": .closed, "withdrawn": .closed, "cancelled": .closed,
    ]

    /// The step of `state`: the definition's `label` when it gives one, else the table's.
    static func of(state: String, label: String? = nil) -> PublicStep? {
        label.flatMap(PublicStep.init(rawValue:)) ?? table[state]
    }

    /// The catalogue key of the step's name.
    var key: String { "step_\(rawValue)" }

    /// The status bar with `current` as the current step: each step with whether it is done or
    /// current (none is when the state shows no step).
    static func bar(current: PublicStep?, messages: WebMessages, language: WebLanguage) -> [[String: Any]] {
        let index = current.flatMap { allCases.firstIndex(of: $0) }
        return allCases.enumerated().map { position, step in
            // Both flags always present: an absent one would be looked up in the page's context.
            ["name": messages.text(step.key, language), "done": index.map { position < $0 } ?? false,
             "current": index.map { position == $0 } ?? false]
        }
    }
}
