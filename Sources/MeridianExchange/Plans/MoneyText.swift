import MeridianCodes

/// Writes an amount of integer minor units for people: `12,000.00 USD`, `350,000 RWF`,
/// `1.500 JOD`, with the minor-unit digits of the shared ISO 4217 table.
public enum MoneyText {
    public static func format(_ minorUnits: Int64, _ currency: String) -> String {
        let digits = ISO4217.minorUnitDigits(currency) ?? 2
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
