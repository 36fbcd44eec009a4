/// A named unit of work that workers run through the queue; its result fires an event back.
public struct TaskSpec: Sendable, Hashable {
    /// The handler's name, looked up in the registry (`match-experiences`, …).
    public var name: String
    /// How often the queue tries it before it is dead.
    public var maxAttempts: Int
    public var positions: SourcePositions

    /// The number of attempts when a definition does not say.
    public static let defaultMaxAttempts = 3

    public init(name: String, maxAttempts: Int = TaskSpec.defaultMaxAttempts, positions: SourcePositions = .none) {
        self.name = name
        self.maxAttempts = maxAttempts
        self.positions = positions
    }
}
