import ArgumentParser

/// `meridian instance …`: the generic commands for instances of any deployed definition.
struct InstanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instance",
        abstract: "Start instances of deployed workflows, fire events, read their state and history, handle incidents.",
        discussion: """
            Until identities and tokens arrive (issue 8), the person firing an event is named \
            with --actor and --role; issue 8 replaces both with the token's user. Tasks and \
            timers fire their events themselves, through the engine.

            Example:
              meridian instance start grant --context '{"amounts": {"grant": {"minor_units": 7500000, "currency": "USD"}}}'
              meridian instance fire 0b7c1f8e-… submit-for-approval --actor pat --role program-manager
            """,
        subcommands: [
            StartInstance.self, FireInstance.self, ShowInstance.self, InstanceHistory.self, ListInstances.self,
            InstanceIncidents.self, RetryInstance.self,
        ]
    )
}
