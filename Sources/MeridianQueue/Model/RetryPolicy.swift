/// How long a failed job waits before its next attempt: exponential backoff with jitter.
///
/// Pure and deterministic for a given random source, so the schedule is unit-tested. Delays
/// are whole milliseconds.
public struct RetryPolicy: Sendable, Hashable {
    /// How the exponential delay is spread, so that jobs that failed together do not all
    /// come back at the same instant.
    public enum Jitter: Sendable, Hashable {
        /// Exactly the exponential delay.
        case none
        /// Uniform in `0 ... delay` (AWS's "full jitter"): the widest spread.
        case full
        /// Half the delay plus a uniform `0 ... delay/2`: spread, yet never shorter than half.
        case equal
    }

    /// The delay before the second attempt, in milliseconds.
    public var baseMilliseconds: Int64
    /// The ceiling of any delay, in milliseconds.
    public var maximumMilliseconds: Int64
    public var jitter: Jitter

    /// Defaults: 1 s, doubling per attempt, at most 1 hour, equal jitter.
    public init(baseMilliseconds: Int64 = 1_000, maximumMilliseconds: Int64 = 3_600_000, jitter: Jitter = .equal) {
        precondition(baseMilliseconds >= 0 && maximumMilliseconds >= baseMilliseconds)
        self.baseMilliseconds = baseMilliseconds
        self.maximumMilliseconds = maximumMilliseconds
        self.jitter = jitter
    }

    /// The un-jittered delay after failed attempt number `attempt` (1-based):
    /// `base × 2^(attempt−1)`, capped at the maximum, without overflowing.
    public func exponentialDelay(afterAttempt attempt: Int32) -> Int64 {
        let exponent = max(0, Int(attempt) - 1)
        guard baseMilliseconds > 0 else { return 0 }
        if exponent >= 62 { return maximumMilliseconds }
        let (product, overflow) = baseMilliseconds.multipliedReportingOverflow(by: Int64(1) << exponent)
        return overflow ? maximumMilliseconds : min(product, maximumMilliseconds)
    }

    /// The jittered delay after failed attempt number `attempt`, in milliseconds.
    public func delay(afterAttempt attempt: Int32, using generator: inout some RandomNumberGenerator) -> Int64 {
        let ceiling = exponentialDelay(afterAttempt: attempt)
        switch jitter {
        case .none:
            return ceiling
        case .full:
            return Int64.random(in: 0...ceiling, using: &generator)
        case .equal:
            let half = ceiling / 2
            return half + Int64.random(in: 0...(ceiling - half), using: &generator)
        }
    }

    /// The jittered delay with the system's random source.
    public func delay(afterAttempt attempt: Int32) -> Int64 {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, using: &generator)
    }
}
