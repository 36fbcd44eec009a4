import MeridianCodes

/// A failure to set up loading at all (as opposed to a problem in a definition, which is a
/// `Diagnostic`).
public struct WorkflowLoadingError: MeridianFailure, Sendable, Hashable {
    /// An opaque code: new codes may be added without breaking callers.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The bundled XSD is missing or does not compile (a broken build).
        public static let schemaUnusable = Code(rawValue: "schema-unusable")
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public static let domain = "workflow"

    /// Only the schema that ships can fail to load, and that is a defect, not bad input.
    public var kind: FailureKind { .failure }
}
