/// Median and worst of a set of durations in days, with how many exchanges they cover: the
/// measure of "rapid response".
public struct DurationFigure: Sendable, Codable, Equatable {
    /// How many exchanges the figure covers (those that reached both ends).
    public var count: Int
    /// The median in days (the mean of the two middle values for an even count); `nil` when `count` is 0.
    public var medianDays: Double?
    /// The longest, in days.
    public var worstDays: Double?

    public init(days: [Double]) {
        let sorted = days.sorted()
        count = sorted.count
        worstDays = sorted.last
        if sorted.isEmpty {
            medianDays = nil
        } else if sorted.count % 2 == 1 {
            medianDays = sorted[sorted.count / 2]
        } else {
            medianDays = (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
    }

    /// `median 3.5 d, worst 9.0 d (4 exchanges)` or `no exchange yet`.
    public var text: String {
        guard let medianDays, let worstDays else { return "no exchange yet" }
        func days(_ value: Double) -> String {
            let tenths = (value * 10).rounded() / 10
            return "\(tenths) d"
        }
        return "median \(days(medianDays)), worst \(days(worstDays)) (\(count) exchange\(count == 1 ? "" : "s"))"
    }
}
