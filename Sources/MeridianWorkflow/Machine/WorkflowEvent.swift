/// An event fired into an instance, with what guards may look at.
public struct WorkflowEvent: Sendable, Hashable, Codable {
    public var name: String
    /// Free-form values from the form or task that fired it (a comment, a document id).
    public var payload: [String: String]

    public init(_ name: String, payload: [String: String] = [:]) {
        self.name = name
        self.payload = payload
    }
}
