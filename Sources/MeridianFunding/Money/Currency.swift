import MeridianCodes

/// An ISO 4217 currency: its three-letter code and how many minor units a major unit has.
public struct Currency: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The alphabetic code (`USD`).
    public let code: String
    /// Digits after the decimal point (USD 2, JPY 0, KWD 3).
    public let exponent: Int

    /// The currency with `code`, if ISO 4217 lists it as active.
    public init?(code: String) {
        guard let exponent = ISO4217.minorUnitDigits(code) else { return nil }
        self.code = code
        self.exponent = exponent
    }

    /// Like `init?(code:)`, but throws a message saying what to write instead.
    public static func named(_ code: String) throws(FundingError) -> Currency {
        guard let currency = Currency(code: code) else {
            throw FundingError(.invalidInput, "'\(code)' is not an ISO 4217 currency code Meridian knows",
                               hint: "write a three-letter code such as USD, EUR, XOF or JPY")
        }
        return currency
    }

    public var description: String { code }

    /// 10^exponent: minor units per major unit.
    public var minorPerMajor: Int64 {
        var value: Int64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}
