/// Who fires an event (named so as not to shadow Swift's `Actor` protocol): a person with roles, or the system (a task result, a timer, an approval).
public struct WorkflowActor: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case person
        case system
    }

    public var id: String
    public var kind: Kind
    public var roles: Set<String>

    public init(id: String, kind: Kind, roles: Set<String> = []) {
        self.id = id
        self.kind = kind
        self.roles = roles
    }

    /// A person, identified by `id`, holding `roles`.
    public static func person(_ id: String, roles: Set<String>) -> WorkflowActor {
        WorkflowActor(id: id, kind: .person, roles: roles)
    }

    /// The system; `source` says which part (`timer`, `task:match-experiences`, …).
    public static func system(_ source: String = "system") -> WorkflowActor {
        WorkflowActor(id: source, kind: .system)
    }
}
