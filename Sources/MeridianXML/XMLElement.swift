/// An element of a parsed document as a plain value: readers walk it without touching libxml2.
public struct XMLElement: Sendable, Hashable {
    /// The local name (without prefix) and namespace URI.
    public var name: String
    public var namespace: String?
    /// Attributes by local name.
    public var attributes: [String: String]
    public var children: [XMLElement]
    /// The element's own text, trimmed (the concatenated text nodes directly inside it).
    public var text: String
    /// Where the element starts, for messages.
    public var line: Int

    public init(name: String, namespace: String? = nil, attributes: [String: String] = [:], children: [XMLElement] = [], text: String = "", line: Int = 0) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.children = children
        self.text = text
        self.line = line
    }

    /// The first child named `name`.
    public func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// Every child named `name`.
    public func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// Follows a path of child names (`["Rsn", "Cd"]`) and returns the text at its end.
    public func text(at path: [String]) -> String? {
        var current = self
        for name in path {
            guard let next = current.child(name) else { return nil }
            current = next
        }
        return current.text
    }

    /// Every descendant (depth first) named `name`.
    public func descendants(_ name: String) -> [XMLElement] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.descendants(name) }
    }
}
