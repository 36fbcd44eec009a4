/// The tasks and guards Meridian knows today, for `meridian workflow validate`.
///
/// This is the one place that lists them, so a definition can be validated without a database.
/// The tasks are implemented by MeridianExchange (`ExchangeTasks`) and MeridianFunding
/// (`FundingTasks`), the guards by MeridianEngine's `ContextGuards`; `MatchingTaskTests` checks
/// that the implemented tasks are exactly these.
extension WorkflowRegistry {
    public static let builtIn = WorkflowRegistry(
        tasks: [
            // Notifications and reminders.
            "notify-submitted", "notify-information-requested", "notify-declined", "notify-withdrawn",
            "notify-cancelled", "notify-partner", "notify-escalation", "send-reminder", "notify-closed", "notify-no-matches",
            // Matching and planning.
            "match-experiences", "invite-partner", "check-plan-consistency",
            // Funding and finance.
            "create-grant-request", "commit-funds", "release-commitment", "export-payment-instruction", "cancel-grant",
            "reconcile-bank-status",
            // Results.
            "publish-experience", "archive-exchange",
        ],
        guards: [
            .init(name: "amount-at-most", requiredParameters: ["amount", "currency"]),
            .init(name: "amount-above", requiredParameters: ["amount", "currency"]),
            .init(name: "has-document", requiredParameters: ["kind"]),
            .init(name: "plan-consistent"),
            .init(name: "matches-available", optionalParameters: ["minimum"]),
            .init(name: "partner-selected"),
            .init(name: "funds-available"),
            .init(name: "attempts-below", requiredParameters: ["event", "count"]),
        ]
    )
}
