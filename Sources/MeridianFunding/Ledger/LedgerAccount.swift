/// The accounts of one fund's ledger.
///
/// Signs: debit positive. Contributions are credited (their balance is minus what donors gave),
/// and `contributions + available + committed + inPayment + disbursed = 0` always, because every
/// transaction's entries sum to zero. Only `contributions` may be negative; the database refuses
/// any posting that would take another account below zero.
public enum LedgerAccount: String, Sendable, Hashable, Codable, CaseIterable {
    /// What donors gave (a credit balance).
    case contributions
    /// Money no grant has claimed yet.
    case available
    /// Approved grants not yet sent to the bank.
    case committed
    /// Payment instructions sent (or ready to send) to the bank, not yet confirmed.
    case inPayment = "in-payment"
    /// Payments the bank confirmed.
    case disbursed
}

/// The kinds of movement; each has a fixed pair of accounts (see ``Posting``).
public enum LedgerKind: String, Sendable, Hashable, Codable {
    case contribution
    case commitment
    case release
    case paymentInstruction = "payment-instruction"
    case paymentPaid = "payment-paid"
    case paymentFailed = "payment-failed"

    /// The account debited and the account credited by a movement of this kind.
    public var accounts: (debit: LedgerAccount, credit: LedgerAccount) {
        switch self {
        case .contribution: (.available, .contributions)
        case .commitment: (.committed, .available)
        case .release: (.available, .committed)
        case .paymentInstruction: (.inPayment, .committed)
        case .paymentPaid: (.disbursed, .inPayment)
        // A failed payment returns the money to committed: the grant still owes it.
        case .paymentFailed: (.committed, .inPayment)
        }
    }
}
