/// The public steps an exchange goes through, as the status bar shows them, and the one table
/// that maps the knowledge-exchange workflow's states onto them.
///
/// Internal states (escalations, overdue reports, payments waiting at the bank) show as the
/// public step they belong to, as grantee portals do. A state this table does not know (a
/// newer workflow) shows no current step rather than a wrong one.
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

    static func of(state: String) -> PublicStep? { table[state] }

    /// The catalogue key of the step's name.
    var key: String { "step_\(rawValue)" }

    /// The status bar for `state`: each step with whether it is done or current.
    static func bar(state: String, messages: WebMessages, language: WebLanguage) -> [[String: Any]] {
        let current = of(state: state)
        let index = current.flatMap { allCases.firstIndex(of: $0) }
        return allCases.enumerated().map { position, step in
            // Both flags always present: an absent one would be looked up in the page's context.
            ["name": messages.text(step.key, language), "done": index.map { position < $0 } ?? false,
             "current": index.map { position == $0 } ?? false]
        }
    }
}
