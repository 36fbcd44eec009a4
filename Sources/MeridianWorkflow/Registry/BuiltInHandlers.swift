/// The tasks and guards Meridian knows today, for `meridian workflow validate`.
///
/// This is the one place that lists them. The modules that implement them (MeridianEngine,
/// MeridianExchange) do not exist yet; when they do, the engine registers its real handlers
/// and builds its `WorkflowRegistry` from them, and this list must agree with it (a test of
/// the engine should compare the two).
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
