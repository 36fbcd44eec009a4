/// One semantic rule over a definition that already parsed.
protocol DefinitionCheck: Sendable {
    func check(_ definition: WorkflowDefinition, in context: CheckContext) -> [Diagnostic]
}

/// What every check needs besides the definition.
struct CheckContext: Sendable {
    var file: String
    var registry: WorkflowRegistry
    var limits: LoadingLimits

    func diagnostic(_ rule: RuleID, at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(file: file, location: location, rule: rule, message: message)
    }
}

/// Runs every semantic rule and returns all their findings together.
public struct SemanticChecker: Sendable {
    public var registry: WorkflowRegistry
    public var limits: LoadingLimits

    public init(registry: WorkflowRegistry, limits: LoadingLimits = .standard) {
        self.registry = registry
        self.limits = limits
    }

    static let checks: [any DefinitionCheck] = [
        DuplicateIDCheck(),
        UnknownTargetCheck(),
        ReachabilityCheck(),
        PathToFinalCheck(),
        WaitingWithoutTimerCheck(),
        UndeclaredRoleCheck(),
        RegistryCheck(),
        QuorumCheck(),
        DurationCheck(),
        AmbiguousTransitionCheck(),
        UnknownEventCheck(),
        PublicStepCheck(),
    ]

    /// All problems of `definition`, in file order.
    public func check(_ definition: WorkflowDefinition, file: String) -> [Diagnostic] {
        let context = CheckContext(file: file, registry: registry, limits: limits)
        return Self.checks.flatMap { $0.check(definition, in: context) }.sortedByLocation()
    }
}
