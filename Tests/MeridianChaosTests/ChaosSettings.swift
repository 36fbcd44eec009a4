import Foundation

/// How hard a chaos run pushes: the short setting `swift test` (and so CI) runs, or a longer
/// one chosen with environment variables (`scripts/chaos.sh` sets them).
struct ChaosSettings: Sendable, CustomStringConvertible {
    /// Exchanges taken from request to closed.
    var exchanges = 8
    /// `meridian worker` processes kept running (each killed and replaced at random).
    var workers = 3
    /// Times the PostgreSQL postmaster is SIGKILLed and started again, spread over the run.
    var restarts = 2
    /// Exchanges driven at once.
    var parallel = 4
    /// A worker is SIGKILLed every this many seconds (picked at random in the range).
    var workerKillInterval: ClosedRange<Double> = 1.0...3.0
    /// `meridian serve` (through which the program manager decides) is SIGKILLed and started
    /// again every this many seconds (picked at random in the range).
    var serverKillInterval: ClosedRange<Double> = 2.0...5.0
    /// The longest the whole run may take before what is unfinished counts as lost.
    var deadlineSeconds: Double = 420

    /// The short setting, changed by `MERIDIAN_CHAOS_EXCHANGES`, `MERIDIAN_CHAOS_WORKERS`,
    /// `MERIDIAN_CHAOS_RESTARTS`, `MERIDIAN_CHAOS_PARALLEL` and `MERIDIAN_CHAOS_DEADLINE`.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ChaosSettings {
        var settings = ChaosSettings()
        func number(_ name: String) -> Int? { environment[name].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } }
        if let value = number("MERIDIAN_CHAOS_EXCHANGES") { settings.exchanges = value }
        if let value = number("MERIDIAN_CHAOS_WORKERS") { settings.workers = value }
        if let value = environment["MERIDIAN_CHAOS_RESTARTS"].flatMap({ Int($0) }), value >= 0 { settings.restarts = value }
        if let value = number("MERIDIAN_CHAOS_PARALLEL") { settings.parallel = value }
        if let value = number("MERIDIAN_CHAOS_DEADLINE") { settings.deadlineSeconds = Double(value) }
        return settings
    }

    var description: String {
        "\(exchanges) exchanges (\(parallel) at once), \(workers) workers killed every \(workerKillInterval.lowerBound)–\(workerKillInterval.upperBound) s, "
            + "meridian serve killed every \(serverKillInterval.lowerBound)–\(serverKillInterval.upperBound) s, \(restarts) database server crashes"
    }
}
