import ArgumentParser

/// `meridian instance …`: the generic commands for instances of any deployed definition.
struct InstanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instance",
        abstract: "Start instances of deployed workflows, fire events, read their state and history, handle incidents.",
        discussion: """
            start and fire act as the user whose token is in MERIDIAN_TOKEN (else the one \
            `meridian login` saved), with her roles; see `meridian user --help`. Tasks and \
            timers fire their events themselves, through the engine.

            Example:
              meridian instance start grant --context '{"amounts": {"grant": {"minor_units": 7500000, "currency": "USD"}}}'
              meridian instance fire 0b7c1f8e-… submit-for-approval
            """,
        subcommands: [
            StartInstance.self, FireInstance.self, ShowInstance.self, InstanceHistory.self, ListInstances.self,
            InstanceIncidents.self, RetryInstance.self,
        ]
    )
}
