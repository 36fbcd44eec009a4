/// Reads an amount a person typed (`1,000.50 USD`, `USD 1000.5`, `250000`) exactly.
///
/// Strict, and never through a floating-point number: digits with optional comma thousands
/// separators in groups of three, an optional `.` and at most as many decimals as the
/// currency has minor units, and the currency code before or after, separated by one space
/// (or none, when a default currency is given). No sign, no exponent, no other separators:
/// anything else is refused with what to write instead.
public struct MoneyParser: Sendable {
    /// The currency when the text names none (a fund's currency); `nil` makes the code required.
    public var defaultCurrency: Currency?

    public init(defaultCurrency: Currency? = nil) {
        self.defaultCurrency = defaultCurrency
    }

    public func parse(_ input: String) throws(MoneyError) -> Money {
        let text = InputText.trimmingSpaces(input)
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        let number: Substring
        let currency: Currency
        switch parts.count {
        case 1:
            guard let defaultCurrency else {
                throw invalid(input, "it names no currency")
            }
            number = parts[0]
            currency = defaultCurrency
        case 2:
            if Self.looksLikeCode(parts[1]) {
                number = parts[0]
                currency = try Currency.named(String(parts[1]))
            } else if Self.looksLikeCode(parts[0]) {
                number = parts[1]
                currency = try Currency.named(String(parts[0]))
            } else {
                throw invalid(input, "neither part is a three-letter currency code")
            }
        default:
            throw invalid(input, "it has \(parts.count) parts separated by spaces")
        }
        if let defaultCurrency, currency != defaultCurrency {
            throw MoneyError(.currencyMismatch, "'\(input)' is in \(currency), but this amount must be in \(defaultCurrency)",
                               hint: "Meridian does not convert currencies")
        }
        return Money(minorUnits: try minorUnits(number, currency: currency, input: input), currency: currency)
    }

    private func minorUnits(_ number: Substring, currency: Currency, input: String) throws(MoneyError) -> Int64 {
        let pieces = number.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { throw invalid(input, "it has more than one decimal point") }
        let whole = pieces[0]
        guard !whole.isEmpty else { throw invalid(input, "it has no digits before the decimal point") }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        for (index, group) in groups.enumerated() {
            guard !group.isEmpty, group.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw invalid(input, "'\(whole)' is not a whole number (digits, optionally with commas every three digits)")
            }
            if groups.count > 1 {
                let valid = index == 0 ? (1...3).contains(group.count) : group.count == 3
                guard valid else { throw invalid(input, "commas must separate groups of three digits") }
            }
        }
        var fraction = ""
        if pieces.count == 2 {
            fraction = String(pieces[1])
            guard !fraction.isEmpty, fraction.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw invalid(input, "the decimal point must be followed by digits")
            }
            guard fraction.count <= currency.exponent else {
                throw MoneyError(.malformedAmount, "'\(input)' has \(fraction.count) decimals, but \(currency) has \(currency.exponent)",
                                   hint: "round it to the smallest unit of \(currency) yourself")
            }
        }
        fraction += String(repeating: "0", count: currency.exponent - fraction.count)
        var value: Int64 = 0
        for byte in (groups.joined() + fraction).utf8 {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 48))
            guard !overflow1, !overflow2 else { throw invalid(input, "it is too large") }
            value = sum
        }
        guard value <= Money.largestMinorUnits else {
            throw MoneyError(.outOfRange, "'\(input)' is larger than Meridian accepts (\(Money(minorUnits: Money.largestMinorUnits, currency: currency)))",
                               hint: "split it, or check the digits")
        }
        return value
    }

    private static func looksLikeCode(_ text: Substring) -> Bool {
        text.count == 3 && text.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }
    }

    private func invalid(_ input: String, _ why: String) -> MoneyError {
        MoneyError(.malformedAmount, "'\(input)' is not an amount: \(why)",
                     hint: "write it like 1,000.50 USD or USD 1000.50 (no sign, '.' for decimals)")
    }
}
