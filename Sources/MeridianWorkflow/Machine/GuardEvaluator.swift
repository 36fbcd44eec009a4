/// Decides named guards. Implementations must be pure: same inputs, same answer, no I/O —
/// the step function's result must depend only on its arguments.
public protocol GuardEvaluator: Sendable {
    func evaluate(_ guardReference: GuardReference, snapshot: InstanceSnapshot, event: WorkflowEvent) -> Bool
}

/// A guard evaluator from a closure (tests, simple callers).
public struct ClosureGuardEvaluator: GuardEvaluator {
    private let body: @Sendable (GuardReference, InstanceSnapshot, WorkflowEvent) -> Bool

    public init(_ body: @escaping @Sendable (GuardReference, InstanceSnapshot, WorkflowEvent) -> Bool) {
        self.body = body
    }

    public func evaluate(_ guardReference: GuardReference, snapshot: InstanceSnapshot, event: WorkflowEvent) -> Bool {
        body(guardReference, snapshot, event)
    }

    /// Every guard holds (for definitions without guards, or to explore a definition).
    public static let alwaysTrue = ClosureGuardEvaluator { _, _, _ in true }
}
