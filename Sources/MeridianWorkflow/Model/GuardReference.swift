/// A named condition, implemented in Swift, that a transition needs to be true.
///
/// The language has no expressions: a guard is a name plus string parameters, and the
/// registry says which names and parameters exist.
public struct GuardReference: Sendable, Hashable {
    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var value: String
        public var positions: SourcePositions

        public init(name: String, value: String, positions: SourcePositions = .none) {
            self.name = name
            self.value = value
            self.positions = positions
        }
    }

    public var name: String
    public var parameters: [Parameter]
    public var positions: SourcePositions

    public init(name: String, parameters: [Parameter] = [], positions: SourcePositions = .none) {
        self.name = name
        self.parameters = parameters
        self.positions = positions
    }

    /// The parameters by name (the first wins if a name repeats; `duplicate-id` reports that).
    public var arguments: [String: String] {
        Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// Name and arguments without positions, to compare guards of two transitions.
    var signature: String {
        name + "(" + parameters.map { "\($0.name)=\($0.value)" }.sorted().joined(separator: ",") + ")"
    }
}
