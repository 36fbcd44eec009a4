/// Why a currency or an amount was refused: bad input, always (``FailureKind/invalidData``).
public struct MoneyError: MeridianFailure, Sendable {
    /// What was wrong; stable, for callers and tests.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// The code is not an active ISO 4217 currency.
        public static let unknownCurrency = Code(name: "unknown-currency")
        /// The text is not an amount (its digits, separators or decimals).
        public static let malformedAmount = Code(name: "malformed-amount")
        /// Amounts in different currencies met (Meridian converts none).
        public static let currencyMismatch = Code(name: "currency-mismatch")
        /// The amount is larger than Meridian takes, or a sum overflowed.
        public static let outOfRange = Code(name: "out-of-range")
    }

    public var code: Code
    public var message: String
    public var hint: String?

    public init(_ code: Code, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public static let domain = "money"
    public var kind: FailureKind { .invalidData }
}
