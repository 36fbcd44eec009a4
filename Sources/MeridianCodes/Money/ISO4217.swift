/// ISO 4217 currencies, the one table every module of Meridian checks codes against: the
/// active alphabetic codes and how many digits their minor unit has (USD 2, JPY 0, KWD 3).
///
/// Precious metals, special drawing rights, the testing code `XTS` and "no currency" `XXX`
/// are left out on purpose: none of them is money a grant can be paid in.
public enum ISO4217 {
    /// The digits after the decimal point of `code`, or `nil` when `code` is not an active
    /// ISO 4217 currency (the code must be upper case, as ISO writes it).
    public static func minorUnitDigits(_ code: String) -> Int? { digits[code] }

    /// Whether `code` is an active ISO 4217 currency code.
    public static func isCurrency(_ code: String) -> Bool { digits[code] != nil }

    /// Every code, sorted.
    public static var codes: [String] { digits.keys.sorted() }

    /// The list of 2025 (amendments up to 179), grouped by minor-unit digits.
    private static let digits: [String: Int] = {
        var table: [String: Int] = [:]
        let zero = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
        let three = "BHD IQD JOD KWD LYD OMR TND"
        let four = "CLF UYW"
        let two = """
            AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW \
            CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS \
            INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD \
            NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL \
            THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL
            """
        for (codes, count) in [(zero, 0), (two, 2), (three, 3), (four, 4)] {
            for code in codes.split(whereSeparator: { $0 == " " || $0 == "\n" }) { table[String(code)] = count }
        }
        return table
    }()
}
