/// The task handlers and guards a definition may name, as the caller knows them.
///
/// Definitions name tasks and guards; Swift code implements them. Checking a definition
/// against the registry of the code that will run it catches a typo at deploy time instead
/// of as a stuck instance.
public struct WorkflowRegistry: Sendable, Hashable {
    /// What a guard takes.
    public struct GuardSignature: Sendable, Hashable {
        public var name: String
        public var requiredParameters: Set<String>
        public var optionalParameters: Set<String>

        public init(name: String, requiredParameters: Set<String> = [], optionalParameters: Set<String> = []) {
            self.name = name
            self.requiredParameters = requiredParameters
            self.optionalParameters = optionalParameters
        }
    }

    public var tasks: Set<String>
    public var guards: [String: GuardSignature]

    public init(tasks: Set<String> = [], guards: [GuardSignature] = []) {
        self.tasks = tasks
        self.guards = Dictionary(guards.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// This registry with `other`'s tasks and guards added (`other`'s signature wins for a
    /// guard both declare).
    public func merging(_ other: WorkflowRegistry) -> WorkflowRegistry {
        var merged = self
        merged.tasks.formUnion(other.tasks)
        merged.guards.merge(other.guards) { _, theirs in theirs }
        return merged
    }
}
