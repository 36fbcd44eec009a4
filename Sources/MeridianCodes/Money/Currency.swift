/// An ISO 4217 currency: its three-letter code and how many minor units a major unit has.
public struct Currency: Sendable, Hashable, CustomStringConvertible {
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
    public static func named(_ code: String) throws(MoneyError) -> Currency {
        guard let currency = Currency(code: code) else {
            throw MoneyError(.unknownCurrency, "'\(code)' is not an ISO 4217 currency code Meridian knows",
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

/// A currency is written as its code (`"USD"`) and read only if ISO 4217 lists it; records
/// written before this form (`{"code": "USD", "exponent": 2}`) are still read.
extension Currency: Codable {
    private enum LegacyKeys: String, CodingKey { case code }

    public init(from decoder: any Decoder) throws {
        let code: String
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            code = text
        } else {
            code = try decoder.container(keyedBy: LegacyKeys.self).decode(String.self, forKey: .code)
        }
        guard let currency = Currency(code: code) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(InputText.printable(code))' is not an ISO 4217 currency code (such as USD, EUR, XOF)"))
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
