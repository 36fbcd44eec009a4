import MeridianCodes

/// A decision that needs a quorum of distinct people holding a role.
///
/// People vote by firing `approveEvent` or `rejectEvent` while the instance is in the state.
/// One rejection fires `onRejected`; reaching the quorum fires `onApproved`. Above an amount a
/// larger quorum applies; approvers must differ from each other and from whoever fired any of
/// the `distinctFrom` events in the instance's history (separation of duties).
public struct ApprovalDefinition: Sendable, Hashable {
    /// A larger quorum for amounts strictly above a threshold.
    public struct QuorumAbove: Sendable, Hashable {
        /// The threshold's minor units and currency code, as the definition writes them.
        public var minorUnits: Int64
        public var currencyCode: String
        public var count: Int
        public var positions: SourcePositions

        public init(minorUnits: Int64, currencyCode: String, count: Int, positions: SourcePositions = .none) {
            self.minorUnits = minorUnits
            self.currencyCode = currencyCode
            self.count = count
            self.positions = positions
        }

        public init(threshold: Money, count: Int, positions: SourcePositions = .none) {
            self.init(minorUnits: threshold.minorUnits, currencyCode: threshold.currency.code, count: count, positions: positions)
        }

        /// The threshold as money; `nil` when ISO 4217 lists no such currency (the checks
        /// report it, and ``ApprovalDefinition/requiredApprovals(for:)`` then applies the
        /// larger quorum: it fails safe).
        public var threshold: Money? { Currency(code: currencyCode).map { Money(minorUnits: minorUnits, currency: $0) } }

        /// The threshold for messages: `5,000,000.00 USD`, or as written when the currency is unknown.
        public var thresholdText: String { threshold?.description ?? "\(minorUnits) \(currencyCode) minor units" }
    }

    /// Disqualifies whoever fired `event` earlier in the instance from voting.
    public struct DistinctFrom: Sendable, Hashable {
        public var event: String
        public var positions: SourcePositions

        public init(event: String, positions: SourcePositions = .none) {
            self.event = event
            self.positions = positions
        }
    }

    public var id: String
    public var role: String
    public var quorum: Int
    /// The context key holding the amount that selects the quorum; `nil` when no amount matters.
    public var amountKey: String?
    public var quorumAbove: [QuorumAbove]
    public var distinctFrom: [DistinctFrom]
    public var approveEvent: String
    public var rejectEvent: String
    public var onApproved: String
    public var onRejected: String
    public var positions: SourcePositions

    public init(
        id: String, role: String, quorum: Int, amountKey: String? = nil,
        quorumAbove: [QuorumAbove] = [], distinctFrom: [DistinctFrom] = [],
        approveEvent: String = "approve", rejectEvent: String = "reject",
        onApproved: String, onRejected: String, positions: SourcePositions = .none
    ) {
        self.id = id
        self.role = role
        self.quorum = quorum
        self.amountKey = amountKey
        self.quorumAbove = quorumAbove
        self.distinctFrom = distinctFrom
        self.approveEvent = approveEvent
        self.rejectEvent = rejectEvent
        self.onApproved = onApproved
        self.onRejected = onRejected
        self.positions = positions
    }

    /// The number of distinct approvals needed for `amount`.
    ///
    /// The largest count among the thresholds strictly below the amount applies. When the
    /// amount is unknown or in another currency than a threshold, that threshold is treated
    /// as exceeded: the rule fails safe, towards more approvers, never fewer.
    public func requiredApprovals(for amount: Money?) -> Int {
        var required = quorum
        for tier in quorumAbove {
            let exceeded: Bool
            if let amount, let threshold = tier.threshold, amount.currency == threshold.currency {
                exceeded = amount.minorUnits > threshold.minorUnits
            } else {
                exceeded = true
            }
            if exceeded { required = max(required, tier.count) }
        }
        return required
    }
}
