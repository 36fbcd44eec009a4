/// Writes an amount of integer minor units for people: `12,000.00 USD`, `350,000 RWF`.
public enum MoneyText {
    /// ISO 4217 currencies without minor units that exchanges are likely to meet; every other
    /// code is taken to have two.
    static let zeroDecimal: Set<String> = ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX",
                                          "VND", "VUV", "XAF", "XOF", "XPF"]

    public static func format(_ minorUnits: Int64, _ currency: String) -> String {
        let digits = zeroDecimal.contains(currency) ? 0 : 2
        let negative = minorUnits < 0
        let magnitude = minorUnits.magnitude
        var divisor: UInt64 = 1
        for _ in 0..<digits { divisor *= 10 }
        let whole = String(magnitude / divisor)
        var grouped = ""
        for (index, character) in whole.reversed().enumerated() {
            if index > 0, index % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        var text = (negative ? "-" : "") + String(grouped.reversed())
        if digits > 0 {
            let fraction = String(magnitude % divisor)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return "\(text) \(currency)"
    }
}
