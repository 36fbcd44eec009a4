/// Where an element of a definition and its attributes were written, for diagnostics.
///
/// Positions are not content: they take no part in a definition's identity.
public struct SourcePositions: Sendable, Hashable {
    /// The `<` that opens the element.
    public var element: SourceLocation
    /// Attribute name → where the attribute starts.
    public var attributes: [String: SourceLocation]

    public init(element: SourceLocation, attributes: [String: SourceLocation] = [:]) {
        self.element = element
        self.attributes = attributes
    }

    /// The attribute's position, or the element's when the attribute is absent.
    public func of(_ attribute: String) -> SourceLocation {
        attributes[attribute] ?? element
    }

    /// For definitions built in code rather than read from a file.
    public static let none = SourcePositions(element: .start)
}
