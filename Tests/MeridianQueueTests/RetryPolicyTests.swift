import MeridianQueue
import Testing

/// A generator that always returns the same value: the jitter's extremes, deterministically.
struct FixedGenerator: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

@Suite struct RetryPolicyTests {
    @Test func delaysDoubleFromTheBaseUpToTheCeiling() {
        let policy = RetryPolicy(baseMilliseconds: 1_000, maximumMilliseconds: 60_000, jitter: .none)
        let delays = (1...9).map { policy.exponentialDelay(afterAttempt: Int32($0)) }
        #expect(delays == [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000])
    }

    @Test func hugeAttemptNumbersDoNotOverflow() {
        let policy = RetryPolicy(baseMilliseconds: 5_000, maximumMilliseconds: 3_600_000, jitter: .none)
        #expect(policy.exponentialDelay(afterAttempt: 61) == 3_600_000)
        #expect(policy.exponentialDelay(afterAttempt: Int32.max) == 3_600_000)
        #expect(policy.exponentialDelay(afterAttempt: 0) == 5_000)
    }

    @Test func fullJitterStaysWithinZeroAndTheDelay() {
        let policy = RetryPolicy(baseMilliseconds: 1_000, maximumMilliseconds: 60_000, jitter: .full)
        var generator = SystemRandomNumberGenerator()
        for attempt in Int32(1)...Int32(10) {
            let ceiling = policy.exponentialDelay(afterAttempt: attempt)
            for _ in 0..<200 {
                let delay = policy.delay(afterAttempt: attempt, using: &generator)
                #expect(delay >= 0 && delay <= ceiling)
            }
        }
    }

    @Test func equalJitterNeverGoesBelowHalf() {
        let policy = RetryPolicy(baseMilliseconds: 1_000, maximumMilliseconds: 60_000, jitter: .equal)
        var low = FixedGenerator(value: 0)
        var high = FixedGenerator(value: .max)
        #expect(policy.delay(afterAttempt: 3, using: &low) == 2_000)
        #expect(policy.delay(afterAttempt: 3, using: &high) == 4_000)
    }

    @Test func jitterSpreadsDelays() {
        let policy = RetryPolicy(baseMilliseconds: 1_000, maximumMilliseconds: 60_000, jitter: .full)
        let delays = Set((0..<50).map { _ in policy.delay(afterAttempt: 5) })
        #expect(delays.count > 10)
    }
}
