/// A role declared in `<roles>`: people holding it may fire the transitions that name it.
public struct RoleDefinition: Sendable, Hashable {
    public var id: String
    public var description: String?
    public var positions: SourcePositions

    public init(id: String, description: String? = nil, positions: SourcePositions = .none) {
        self.id = id
        self.description = description
        self.positions = positions
    }
}
