import MeridianCodes
import Foundation

/// What one pain.001 file carries: payments grouped by the account they leave from.
public struct PaymentBatch: Sendable, Hashable {
    /// The file's message id (at most 35 characters), unique per file.
    public var messageID: String
    public var createdAt: Date
    /// The initiating party (the organisation running Meridian).
    public var initiatingParty: String
    public var requestedExecution: CalendarDay
    public var groups: [Group]

    /// Payments from one debtor account.
    public struct Group: Sendable, Hashable {
        public var paymentInformationID: String
        public var debtorName: String
        public var debtorAccount: BankAccount
        public var payments: [PaymentInstruction]
    }

    public init(messageID: String, createdAt: Date, initiatingParty: String, requestedExecution: CalendarDay, groups: [Group]) {
        self.messageID = messageID
        self.createdAt = createdAt
        self.initiatingParty = initiatingParty
        self.requestedExecution = requestedExecution
        self.groups = groups
    }

    /// All payments of the file.
    public var payments: [PaymentInstruction] { groups.flatMap(\.payments) }

    /// The sum of the amounts, written as ISO 20022's `CtrlSum` (a plain decimal over all
    /// currencies, exact: amounts are scaled to the largest exponent, never through a Double).
    public static func controlSum(_ amounts: [Money]) -> String {
        let exponent = amounts.map(\.currency.exponent).max() ?? 2
        var total: Int64 = 0
        for amount in amounts {
            var scaled = amount.minorUnits
            for _ in 0..<(exponent - amount.currency.exponent) { scaled *= 10 }
            total += scaled
        }
        var scale: Int64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let whole = String(total / scale)
        guard exponent > 0 else { return whole }
        let fraction = String(total % scale)
        return whole + "." + String(repeating: "0", count: exponent - fraction.count) + fraction
    }
}
