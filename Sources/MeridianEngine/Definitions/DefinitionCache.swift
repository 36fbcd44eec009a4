import MeridianWorkflow
import Synchronization

/// Loaded definitions by id and version, so a step does not parse XML.
///
/// Deployed versions are immutable, so a cached one never goes stale.
final class DefinitionCache: Sendable {
    struct Key: Hashable {
        var id: String
        var version: Int
    }

    private let entries = Mutex<[Key: WorkflowDefinition]>([:])

    func definition(_ id: String, _ version: Int) -> WorkflowDefinition? {
        entries.withLock { $0[Key(id: id, version: version)] }
    }

    func store(_ definition: WorkflowDefinition) {
        entries.withLock { $0[Key(id: definition.id, version: definition.version)] = definition }
    }
}
