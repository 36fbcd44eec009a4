/// An amount of money: integer minor units (cents) and an ISO 4217 currency code.
///
/// Never a floating-point number, so thresholds compare exactly.
public struct Amount: Sendable, Hashable, Codable, CustomStringConvertible {
    public var minorUnits: Int64
    public var currency: String

    public init(minorUnits: Int64, currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public var description: String { "\(minorUnits) \(currency) minor units" }
}
