import MeridianWorkflow

/// The built-in guards, decided from the instance's context and the event's data alone.
///
/// The facts come from the instance's context, which `instance start --context`, the domain's
/// tasks (MeridianExchange's `match-experiences` writes `matches`, its plan submission
/// `plan-consistent`; MeridianFunding's tasks the funding facts) and the event data write. The
/// domain modules decide a fact once, in the transaction that records it, so every guard stays
/// pure and the step function deterministic:
///
/// | guard | holds when |
/// |---|---|
/// | `amount-at-most amount currency` | every context amount in `currency` is ≤ `amount` (minor units) |
/// | `amount-above amount currency` | some context amount in `currency` is > `amount` |
/// | `has-document kind` | the event data or the context has `document.KIND` |
/// | `plan-consistent`, `partner-selected`, `funds-available` | the context value of that name is `true` |
/// | `matches-available [minimum]` | the context value `matches` is a number ≥ `minimum` (default 1) |
/// | `attempts-below event count` | the context value `attempts.EVENT` is a number < `count` |
///
/// Unknown guards are false: an instance waits rather than moving on a guess.
public struct ContextGuards: GuardEvaluator {
    public init() {}

    public func evaluate(_ guardReference: GuardReference, snapshot: InstanceSnapshot, event: WorkflowEvent) -> Bool {
        let arguments = guardReference.arguments
        let values = snapshot.context.values
        switch guardReference.name {
        case "amount-at-most", "amount-above":
            guard let limit = arguments["amount"].flatMap({ Int64($0) }), let currency = arguments["currency"] else { return false }
            let amounts = snapshot.context.amounts.values.filter { $0.currency == currency }
            if guardReference.name == "amount-at-most" {
                return !amounts.isEmpty && amounts.allSatisfy { $0.minorUnits <= limit }
            }
            return amounts.contains { $0.minorUnits > limit }
        case "has-document":
            guard let kind = arguments["kind"] else { return false }
            let key = "document.\(kind)"
            return !(event.payload[key] ?? values[key] ?? "").isEmpty
        case "plan-consistent", "partner-selected", "funds-available":
            return values[guardReference.name] == "true"
        case "matches-available":
            let minimum = arguments["minimum"].flatMap { Int($0) } ?? 1
            return (values["matches"].flatMap { Int($0) } ?? 0) >= minimum
        case "attempts-below":
            guard let name = arguments["event"], let count = arguments["count"].flatMap({ Int($0) }) else { return false }
            return (values["attempts.\(name)"].flatMap { Int($0) } ?? 0) < count
        default:
            return false
        }
    }
}
