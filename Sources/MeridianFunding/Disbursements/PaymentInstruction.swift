import MeridianCodes
import Foundation

/// An order to pay one instalment of a grant to the beneficiary's bank account.
public struct PaymentInstruction: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// Written in the disbursing transaction, before the workflow step released it.
        case prepared
        /// Ready for the next payment file.
        case pending
        /// In a pain.001 file sent to the bank.
        case exported
        case paid
        /// The bank refused it; the money is back in committed and the instalment can be disbursed again.
        case failed
    }

    public var id: UUID
    /// The ISO 20022 end-to-end id: unique per instruction, at most 35 characters.
    public var endToEndID: String
    public var grantID: UUID
    public var fundID: String
    /// Which instalment of the grant (from 1).
    public var instalment: Int
    public var beneficiary: String
    public var account: BankAccount
    public var amount: Money
    /// The remittance information the beneficiary sees.
    public var reference: String
    public var status: Status
    public var failureReason: String?
    /// The pain.001 message that carried it.
    public var messageID: String?
    public var disbursedBy: String
    public var createdAt: Date
    public var updatedAt: Date

    /// The end-to-end id of a new instruction: `M` and the instruction id's 32 hex digits.
    static func endToEndID(for id: UUID) -> String {
        "M" + id.uuidString.replacingOccurrences(of: "-", with: "")
    }
}
