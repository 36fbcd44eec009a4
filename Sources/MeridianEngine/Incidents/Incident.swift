import Foundation

/// A task whose attempts ran out: the instance waits for an operator.
public struct Incident: Sendable, Hashable, Codable {
    public var id: Int64
    public var instanceID: UUID
    public var workflowID: String
    public var state: String
    public var task: String
    public var jobID: Int64
    public var attempts: Int
    public var lastError: String
    public var openedAt: Date
}
