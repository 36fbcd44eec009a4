import Foundation
import Synchronization

/// Where the engine reads the time: steps, timers' due dates and history entries use it.
///
/// Passed in, never global, so tests can move time forward and see timers come due without
/// waiting (and without timed assertions).
public protocol EngineClock: Sendable {
    func now() -> Date
}

/// The machine's clock.
public struct SystemClock: EngineClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told to, for tests and simulations.
public final class ManualClock: EngineClock {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 += seconds }
    }
}

extension Date {
    /// Microseconds since 1970, the precision PostgreSQL keeps and the history hashes.
    var microsecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// This date cut to whole microseconds, so what is stored reads back identical.
    var truncatedToMicroseconds: Date {
        Date(microsecondsSince1970: microsecondsSince1970)
    }

    init(microsecondsSince1970 value: Int64) {
        self.init(timeIntervalSince1970: Double(value) / 1_000_000)
    }
}
