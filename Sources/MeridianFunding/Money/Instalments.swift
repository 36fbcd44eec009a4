/// Splits a grant into instalments by percentage, exactly.
///
/// Each instalment but the last is `amount × percent / 100` rounded down to the minor unit;
/// the last takes what remains, so the parts always add up to the grant, to the cent. (The
/// explicit rule: rounding remainders go to the final instalment, paid after results.)
public enum Instalments {
    /// Checks a plan: 1 to 12 whole percentages, each at least 1, summing to 100.
    public static func validate(_ percents: [Int]) throws(FundingError) {
        guard (1...12).contains(percents.count), percents.allSatisfy({ (1...100).contains($0) }), percents.reduce(0, +) == 100 else {
            throw FundingError(.invalidInput, "instalments \(percents.map(String.init).joined(separator: ",")) must be 1 to 12 whole percentages adding up to 100",
                               hint: "for example 70,30")
        }
    }

    /// The amount of each instalment, in order.
    public static func amounts(of total: Int64, percents: [Int]) -> [Int64] {
        var parts: [Int64] = []
        var assigned: Int64 = 0
        for (index, percent) in percents.enumerated() {
            if index == percents.count - 1 {
                parts.append(total - assigned)
            } else {
                // floor(total × p / 100) without overflow: total = 100q + r.
                let exact = (total / 100) * Int64(percent) + (total % 100) * Int64(percent) / 100
                parts.append(exact)
                assigned += exact
            }
        }
        return parts
    }
}
