import MeridianWorkflow

/// What a domain adds to the engine: the task and guard names its definitions may use, and the
/// Swift that decides its guards. The engine knows none of the domains; the one that assembles
/// Meridian (`MeridianService`) adds each domain's plugin to the engine's configuration.
///
/// Task handlers are registered separately (they need the database client): see ``TaskHandlers``.
public struct WorkflowPlugin: Sendable {
    /// The tasks and guards (with their parameters) definitions may name.
    public var registry: WorkflowRegistry
    /// Decides the guards of ``registry``.
    public var guards: any GuardEvaluator

    public init(registry: WorkflowRegistry, guards: any GuardEvaluator) {
        self.registry = registry
        self.guards = guards
    }
}

/// Guards decided by the evaluator that declared them; a name nobody declared is false.
public struct CompositeGuards: GuardEvaluator {
    private let evaluators: [String: any GuardEvaluator]
    private let fallback: any GuardEvaluator

    public init(evaluators: [String: any GuardEvaluator], fallback: any GuardEvaluator) {
        self.evaluators = evaluators
        self.fallback = fallback
    }

    public func evaluate(_ guardReference: GuardReference, snapshot: InstanceSnapshot, event: WorkflowEvent) -> Bool {
        (evaluators[guardReference.name] ?? fallback).evaluate(guardReference, snapshot: snapshot, event: event)
    }
}

extension WorkflowEngine.Configuration {
    /// Adds `plugin`'s names to the registry and its evaluator for the guards it declares.
    public mutating func add(_ plugin: WorkflowPlugin) {
        registry = registry.merging(plugin.registry)
        var evaluators: [String: any GuardEvaluator] = [:]
        for name in plugin.registry.guards.keys { evaluators[name] = plugin.guards }
        guards = CompositeGuards(evaluators: evaluators, fallback: guards)
    }

    /// A configuration with `plugins` added to the engine's own guards.
    public init(plugins: [WorkflowPlugin], clock: any EngineClock = SystemClock(), queue: String = WorkflowEngine.defaultQueue,
                tasks: TaskHandlers = TaskHandlers()) {
        self.init(clock: clock, queue: queue, tasks: tasks)
        for plugin in plugins { add(plugin) }
    }
}
