import MeridianCodes
import MeridianWorkflow

/// The engine's own guards, decided from the instance's context and the event's data alone —
/// generic facts any workflow may test. Domains add theirs as plugins (``WorkflowPlugin``).
///
/// | guard | holds when |
/// |---|---|
/// | `amount-at-most amount currency` | every context amount in `currency` is ≤ `amount` (minor units) |
/// | `amount-above amount currency` | some context amount in `currency` is > `amount` |
/// | `has-document kind` | the event data or the context has `document.KIND` |
/// | `attempts-below event count` | the context value `attempts.EVENT` is a number < `count` |
///
/// Unknown guards are false: an instance waits rather than moving on a guess.
public struct ContextGuards: GuardEvaluator {
    public init() {}

    /// The guards this evaluator decides, as definitions may name them.
    public static let registry = WorkflowRegistry(guards: [
        .init(name: "amount-at-most", requiredParameters: ["amount", "currency"]),
        .init(name: "amount-above", requiredParameters: ["amount", "currency"]),
        .init(name: "has-document", requiredParameters: ["kind"]),
        .init(name: "attempts-below", requiredParameters: ["event", "count"]),
    ])

    public func evaluate(_ guardReference: GuardReference, snapshot: InstanceSnapshot, event: WorkflowEvent) -> Bool {
        let arguments = guardReference.arguments
        let values = snapshot.context.values
        switch guardReference.name {
        case "amount-at-most", "amount-above":
            guard let limit = arguments["amount"].flatMap({ Int64($0) }), let currency = arguments["currency"] else { return false }
            let amounts = snapshot.context.amounts.values.filter { $0.currency.code == currency }
            if guardReference.name == "amount-at-most" {
                return !amounts.isEmpty && amounts.allSatisfy { $0.minorUnits <= limit }
            }
            return amounts.contains { $0.minorUnits > limit }
        case "has-document":
            guard let kind = arguments["kind"] else { return false }
            let key = "document.\(kind)"
            return !(event.payload[key] ?? values[key] ?? "").isEmpty
        case "attempts-below":
            guard let name = arguments["event"], let count = arguments["count"].flatMap({ Int($0) }) else { return false }
            return (values["attempts.\(name)"].flatMap { Int($0) } ?? 0) < count
        default:
            return false
        }
    }
}
