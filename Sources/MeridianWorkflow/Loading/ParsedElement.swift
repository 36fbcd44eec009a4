/// An element of a parsed definition, copied out of libxml2 into plain Swift values so the
/// model builder needs no C and libxml2's tree can be freed at once.
struct ParsedElement: Sendable {
    var name: String
    var namespace: String?
    /// Attributes in document order (name, value).
    var attributes: [(name: String, value: String)]
    var positions: SourcePositions
    var children: [ParsedElement]
    /// The element's own text (for `<description>`), whitespace trimmed.
    var text: String

    func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    func children(named name: String) -> [ParsedElement] {
        children.filter { $0.name == name }
    }
}
