import Foundation

/// A definition version as stored: who it is, its digest, when it was deployed.
public struct DeployedDefinition: Sendable, Hashable, Codable {
    public var workflowID: String
    public var version: Int
    public var sha256: String
    public var fileName: String
    public var description: String?
    public var deployedAt: Date
    /// Instances on this version (all states), for `workflow list|show`.
    public var instanceCount: Int
}

/// What deploying one file did.
public struct DeployResult: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// A new version was stored.
        case deployed
        /// The same id, version and content was already there: nothing changed.
        case unchanged
    }

    public var workflowID: String
    public var version: Int
    public var sha256: String
    public var status: Status
}
