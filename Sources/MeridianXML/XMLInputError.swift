import MeridianCodes

/// Why an XML input or schema was refused: what, where (a line when known), what to do.
public struct XMLInputError: MeridianFailure, Sendable {
    /// What kind of problem; stable for callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }
        public static let tooLarge = Code(name: "too-large")
        public static let doctypeForbidden = Code(name: "doctype-forbidden")
        public static let tooDeep = Code(name: "too-deep")
        public static let malformed = Code(name: "malformed")
        public static let invalid = Code(name: "invalid")
        public static let schemaUnusable = Code(name: "schema-unusable")
    }

    public var code: Code
    public var message: String
    /// Schema violations or parse errors, one line each (`line N: message`).
    public var details: [String]

    public init(_ code: Code, _ message: String, details: [String] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    public static let domain = "xml"

    /// Hostile or invalid input is the caller's to mend; a schema that will not load is ours.
    public var kind: FailureKind { code == .schemaUnusable ? .failure : .invalidData }

    /// The message with the first few details (the protocol's one line, with what libxml2 said).
    public var description: String {
        details.isEmpty ? message : "\(message): \(details.prefix(5).joined(separator: "; "))\(details.count > 5 ? "; …" : "")"
    }
}
