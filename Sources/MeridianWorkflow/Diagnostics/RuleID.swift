/// The stable name of the rule behind a diagnostic; tools and tests match on it.
///
/// A struct rather than an enum so new rules do not break callers that switch on them.
public struct RuleID: RawRepresentable, Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }
}

extension RuleID {
    // Reading and parsing the file.
    /// The file could not be opened or read.
    public static let unreadableFile: RuleID = "unreadable-file"
    /// The file is larger than the loader accepts.
    public static let fileTooLarge: RuleID = "file-too-large"
    /// The bytes are not valid UTF-8 (or contain a NUL).
    public static let invalidUTF8: RuleID = "invalid-utf8"
    /// The XML declaration names an encoding other than UTF-8.
    public static let unsupportedEncoding: RuleID = "unsupported-encoding"
    /// A `<!DOCTYPE`: DTDs and entities are never processed, so any DOCTYPE is refused.
    public static let doctypeForbidden: RuleID = "doctype-forbidden"
    /// Elements nest deeper than the loader accepts.
    public static let tooDeep: RuleID = "too-deep"
    /// The text is not well-formed XML.
    public static let malformedXML: RuleID = "malformed-xml"
    /// The root element is not a `workflow` in `urn:meridian:workflow:1`.
    public static let wrongNamespace: RuleID = "wrong-namespace"
    /// The document breaks Schemas/workflow.xsd.
    public static let schemaViolation: RuleID = "schema-violation"

    // Semantic checks.
    /// Two states, roles, approvals or parameters share an id.
    public static let duplicateID: RuleID = "duplicate-id"
    /// A transition (or the initial state) names a state that does not exist.
    public static let unknownTarget: RuleID = "unknown-target"
    /// A state cannot be reached from the initial state.
    public static let unreachableState: RuleID = "unreachable-state"
    /// No final state can be reached from a state: instances would be stuck there.
    public static let noPathToFinal: RuleID = "no-path-to-final"
    /// A state waits for a person (a role-bound transition or an approval) but has no timer.
    public static let waitingWithoutTimer: RuleID = "waiting-without-timer"
    /// A role is used but not declared in `<roles>`.
    public static let undeclaredRole: RuleID = "undeclared-role"
    /// A task is not in the registry of task handlers.
    public static let unknownTask: RuleID = "unknown-task"
    /// A guard is not in the registry, or is given parameters it does not take or lacks ones it needs.
    public static let unknownGuard: RuleID = "unknown-guard"
    /// An approval quorum of 0, above the allowed maximum, or a larger quorum that is not larger.
    public static let impossibleQuorum: RuleID = "impossible-quorum"
    /// A duration that is not ISO 8601, is zero, or is longer than allowed.
    public static let badDuration: RuleID = "bad-duration"
    /// Two transitions of one state take the same event without guards that tell them apart.
    public static let ambiguousTransition: RuleID = "ambiguous-transition"
    /// An event an approval, timer or separation-of-duties rule names is handled or fired nowhere.
    public static let unknownEvent: RuleID = "unknown-event"
    /// A state's `public-step` is not one of the status bar's steps.
    public static let unknownPublicStep: RuleID = "unknown-public-step"
}
