import MeridianCodes
import Foundation

/// One movement of money in a fund's ledger, before it is stored.
public struct Posting: Sendable {
    public var fundID: String
    public var kind: LedgerKind
    public var amount: Money
    public var valueDate: CalendarDay
    public var reference: String
    public var actorID: String
    public var grantID: UUID?
    /// Posting again with the same key stores nothing and returns the first transaction.
    public var idempotencyKey: String?

    public init(fundID: String, kind: LedgerKind, amount: Money, valueDate: CalendarDay, reference: String, actorID: String,
                grantID: UUID? = nil, idempotencyKey: String? = nil) {
        self.fundID = fundID
        self.kind = kind
        self.amount = amount
        self.valueDate = valueDate
        self.reference = reference
        self.actorID = actorID
        self.grantID = grantID
        self.idempotencyKey = idempotencyKey
    }

    /// The balanced entries: the debit and the credit, which sum to zero.
    public var entries: [(account: LedgerAccount, amount: Int64)] {
        [(kind.accounts.debit, amount.minorUnits), (kind.accounts.credit, -amount.minorUnits)]
    }
}
