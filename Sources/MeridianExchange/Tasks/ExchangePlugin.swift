import MeridianEngine
import MeridianWorkflow

/// What the exchange domain adds to the engine: its tasks' names and its guards.
///
/// The guards read facts this module writes into the instance's context once, in the
/// transaction that records them, so every guard stays pure and the step deterministic:
///
/// | guard | holds when |
/// |---|---|
/// | `plan-consistent`, `partner-selected` | the context value of that name is `true` |
/// | `matches-available [minimum]` | the context value `matches` is a number ≥ `minimum` (default 1) |
public struct ExchangeGuards: GuardEvaluator {
    public init() {}

    public func evaluate(_ guardReference: GuardReference, snapshot: InstanceSnapshot, event: WorkflowEvent) -> Bool {
        let values = snapshot.context.values
        switch guardReference.name {
        case "plan-consistent", "partner-selected":
            return values[guardReference.name] == "true"
        case "matches-available":
            let minimum = guardReference.arguments["minimum"].flatMap { Int($0) } ?? 1
            return (values["matches"].flatMap { Int($0) } ?? 0) >= minimum
        default:
            return false
        }
    }
}

extension ExchangeTasks {
    /// The exchange domain as an engine plugin.
    public static let plugin = WorkflowPlugin(
        registry: WorkflowRegistry(tasks: names, guards: [
            .init(name: "plan-consistent"),
            .init(name: "partner-selected"),
            .init(name: "matches-available", optionalParameters: ["minimum"]),
        ]),
        guards: ExchangeGuards()
    )
}
