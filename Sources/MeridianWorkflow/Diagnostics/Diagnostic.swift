/// One problem found in a definition, with where it is and which rule found it.
///
/// Loading never stops at the first problem it can report: diagnostics are collected and
/// returned together, so an author fixes a file in one pass.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad a problem is; any `.error` makes a definition unusable.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// The file as the caller named it (a path, or a label for in-memory text).
    public var file: String
    public var location: SourceLocation
    public var rule: RuleID
    public var message: String
    public var severity: Severity

    public init(file: String, location: SourceLocation, rule: RuleID, message: String, severity: Severity = .error) {
        self.file = file
        self.location = location
        self.rule = rule
        self.message = message
        self.severity = severity
    }

    public var line: Int { location.line }
    public var column: Int { location.column }

    /// The one-line form compilers use, which editors and CI logs turn into links:
    /// `file:line:column: rule-id: message`.
    public var description: String {
        "\(file):\(location.line):\(location.column): \(rule.rawValue): \(message)"
    }
}

extension [Diagnostic] {
    /// Whether any diagnostic is an error (warnings alone leave a definition usable).
    public var containsErrors: Bool { contains { $0.severity == .error } }

    /// In file order, so output reads top to bottom.
    public func sortedByLocation() -> [Diagnostic] {
        sorted { ($0.file, $0.location, $0.rule.rawValue) < ($1.file, $1.location, $1.rule.rawValue) }
    }
}
