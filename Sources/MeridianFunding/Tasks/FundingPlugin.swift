import MeridianEngine
import MeridianWorkflow

/// What the funding domain adds to the engine: its tasks' names and its guard.
///
/// `funds-available` holds when the context value of that name is `true` (written by the
/// funding tasks in the transaction that checks the fund).
public struct FundingGuards: GuardEvaluator {
    public init() {}

    public func evaluate(_ guardReference: GuardReference, snapshot: InstanceSnapshot, event: WorkflowEvent) -> Bool {
        guardReference.name == "funds-available" && snapshot.context.values["funds-available"] == "true"
    }
}

extension FundingTasks {
    /// The funding domain as an engine plugin.
    public static let plugin = WorkflowPlugin(
        registry: WorkflowRegistry(tasks: Set(inStepNames + queuedNames), guards: [.init(name: "funds-available")]),
        guards: FundingGuards()
    )
}
