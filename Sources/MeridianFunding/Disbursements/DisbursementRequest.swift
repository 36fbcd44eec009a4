import Foundation
import MeridianWorkflow

/// A finance officer's order to pay an instalment of a grant.
public struct DisbursementRequest: Sendable {
    public var grantID: UUID
    /// The instalment to pay (from 1).
    public var instalment: Int
    public var beneficiary: String
    public var account: BankAccount
    /// What the beneficiary's statement shows; by default `Meridian grant <id> instalment <n>`.
    public var reference: String?
    /// Who disburses: a person holding `finance-officer`.
    public var actor: WorkflowActor
    /// Retrying with the same key returns the first instruction; by default one key per grant and instalment.
    public var idempotencyKey: String?

    public init(grantID: UUID, instalment: Int = 1, beneficiary: String, account: BankAccount, reference: String? = nil,
                actor: WorkflowActor, idempotencyKey: String? = nil) {
        self.grantID = grantID
        self.instalment = instalment
        self.beneficiary = beneficiary
        self.account = account
        self.reference = reference
        self.actor = actor
        self.idempotencyKey = idempotencyKey
    }
}
