/// An exact amount of money: an integer count of minor units in one ISO 4217 currency.
///
/// Never a floating-point number: arithmetic is checked integer arithmetic, and amounts of
/// different currencies never mix (Meridian does no conversion).
public struct Money: Sendable, Hashable, CustomStringConvertible {
    public var minorUnits: Int64
    public var currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// `minorUnits` of the currency named `code`.
    public init(minorUnits: Int64, code: String) throws(MoneyError) {
        self.init(minorUnits: minorUnits, currency: try Currency.named(code))
    }

    /// The largest amount Meridian takes in (10^15 minor units: ten trillion dollars), far
    /// below `bigint`'s limit, so that sums of many amounts never overflow in SQL.
    public static let largestMinorUnits: Int64 = 1_000_000_000_000_000

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// The sum, or an error if the currencies differ or the result overflows.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        guard other.currency == currency else {
            throw MoneyError(.currencyMismatch, "cannot add \(other.currency) to \(currency)", hint: "Meridian does not convert currencies")
        }
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw MoneyError(.outOfRange, "the amount is too large") }
        return Money(minorUnits: sum, currency: currency)
    }

    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try adding(Money(minorUnits: -other.minorUnits, currency: other.currency))
    }

    /// The amount as a plain decimal, as standards write it: `1000.50`, `-3.5` never (always
    /// all the currency's digits: `-3.50`), `1500` for JPY.
    public var decimalText: String {
        let negative = minorUnits < 0
        let magnitude = minorUnits.magnitude
        let scale = UInt64(currency.minorPerMajor)
        var text = String(magnitude / scale)
        if currency.exponent > 0 {
            let fraction = String(magnitude % scale)
            text += "." + String(repeating: "0", count: currency.exponent - fraction.count) + fraction
        }
        return negative ? "-" + text : text
    }

    /// For people: `1,000.50 USD`.
    public var description: String {
        var digits = decimalText
        let negative = digits.hasPrefix("-")
        if negative { digits.removeFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        grouped = whole + grouped
        let fraction = parts.count > 1 ? "." + parts[1] : ""
        return (negative ? "-" : "") + grouped + fraction + " " + currency.code
    }
}

/// Money's one JSON form, everywhere Meridian writes or reads it (API bodies, `--json`,
/// workflow contexts, stored records): `{"minor_units": 150000, "currency": "USD"}`. Read with
/// or without a decoder's snake-case conversion (`minorUnits` then), the currency checked
/// against ISO 4217; the amount within ``Money/largestMinorUnits`` either way.
extension Money: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let amountKey = [Key("minor_units"), Key("minorUnits")].first(where: container.contains) ?? Key("minor_units")
        let minorUnits = try container.decode(Int64.self, forKey: amountKey)
        guard minorUnits.magnitude <= Self.largestMinorUnits.magnitude else {
            throw DecodingError.dataCorruptedError(forKey: amountKey, in: container,
                                                   debugDescription: "\(minorUnits) minor units is more than Meridian accepts (\(Self.largestMinorUnits))")
        }
        self.init(minorUnits: minorUnits, currency: try container.decode(Currency.self, forKey: Key("currency")))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(minorUnits, forKey: Key("minor_units"))
        try container.encode(currency, forKey: Key("currency"))
    }
}
