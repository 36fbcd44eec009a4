/// An ISO 4217 currency: its three-letter code and how many minor units a major unit has.
public struct Currency: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The alphabetic code (`USD`).
    public let code: String
    /// Digits after the decimal point (USD 2, JPY 0, KWD 3).
    public let exponent: Int

    /// The currency with `code`, if ISO 4217 lists it as active.
    public init?(code: String) {
        guard let exponent = Self.exponents[code] else { return nil }
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

    /// Active ISO 4217 codes (list of 2024) and their minor-unit exponents.
    static let exponents: [String: Int] = {
        var table: [String: Int] = [:]
        let zero = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
        let three = "BHD IQD JOD KWD LYD OMR TND"
        let four = "CLF UYW"
        let two = """
            AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW \
            CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS \
            INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD \
            NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL \
            THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD YER ZAR ZMW ZWL
            """
        for (codes, exponent) in [(zero, 0), (two, 2), (three, 3), (four, 4)] {
            for code in codes.split(separator: " ") { table[String(code)] = exponent }
        }
        return table
    }()
}
