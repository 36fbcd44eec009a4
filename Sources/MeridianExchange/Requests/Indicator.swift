import Foundation

/// A measure of the change the request aims at: where it stands (baseline) and where it
/// should get (target). Results report the actual value against both.
///
/// Values are decimal numbers (`Decimal`, read exactly from JSON), not money: money in
/// Meridian is always integer minor units.
public struct Indicator: Sendable, Codable, Equatable {
    public var name: String
    /// What the numbers count (`%`, `days`, `parcels`).
    public var unit: String
    public var baseline: Decimal
    public var target: Decimal

    public init(name: String, unit: String, baseline: Decimal, target: Decimal) {
        self.name = name
        self.unit = unit
        self.baseline = baseline
        self.target = target
    }
}
