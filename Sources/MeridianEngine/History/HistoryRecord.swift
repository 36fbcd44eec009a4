import Foundation
import MeridianWorkflow

/// One stored history entry of an instance: the step's content plus its place in the chain.
public struct HistoryRecord: Sendable, Hashable, Codable {
    public var instanceID: UUID
    /// 1 for the start, then one more per step; equals the instance's version after the step.
    public var seq: Int64
    public var workflowVersion: Int
    /// The event fired (`start` for the first entry, `migrate` for a migration).
    public var event: String
    /// The event finally taken (an approval's approved/rejected event, or `event`).
    public var takenEvent: String
    public var actorID: String
    public var actorKind: WorkflowActor.Kind
    /// The actor's roles, sorted and comma-separated.
    public var actorRoles: String
    public var from: String
    public var to: String
    public var occurredAt: Date
    public var detail: String
    /// The event's data, canonical JSON.
    public var payload: String
    /// `approval:decision` when the step recorded a vote, else empty.
    public var vote: String
    public var idempotencyKey: String?
    public var previousHash: String
    public var hash: String

    public init(
        instanceID: UUID, seq: Int64, workflowVersion: Int, event: String, takenEvent: String, actorID: String,
        actorKind: WorkflowActor.Kind, actorRoles: String, from: String, to: String, occurredAt: Date, detail: String,
        payload: String, vote: String, idempotencyKey: String?, previousHash: String, hash: String
    ) {
        self.instanceID = instanceID
        self.seq = seq
        self.workflowVersion = workflowVersion
        self.event = event
        self.takenEvent = takenEvent
        self.actorID = actorID
        self.actorKind = actorKind
        self.actorRoles = actorRoles
        self.from = from
        self.to = to
        self.occurredAt = occurredAt
        self.detail = detail
        self.payload = payload
        self.vote = vote
        self.idempotencyKey = idempotencyKey
        self.previousHash = previousHash
        self.hash = hash
    }
}
