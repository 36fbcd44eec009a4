import MeridianQueue
import Testing

/// SplitMix64: a seeded generator, so a schedule can be replayed exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
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
        var generator = SeededGenerator(state: 42)
        let delays = (0..<500).map { _ in policy.delay(afterAttempt: 3, using: &generator) }
        #expect(delays.allSatisfy { (2_000...4_000).contains($0) })
        #expect(delays.min()! < 2_100 && delays.max()! > 3_900)
    }

    @Test func theSameSeedGivesTheSameSchedule() {
        let policy = RetryPolicy()
        var first = SeededGenerator(state: 7)
        var second = SeededGenerator(state: 7)
        let a = (1...10).map { policy.delay(afterAttempt: Int32($0), using: &first) }
        let b = (1...10).map { policy.delay(afterAttempt: Int32($0), using: &second) }
        #expect(a == b)
    }

    @Test func jitterSpreadsDelays() {
        let policy = RetryPolicy(baseMilliseconds: 1_000, maximumMilliseconds: 60_000, jitter: .full)
        let delays = Set((0..<50).map { _ in policy.delay(afterAttempt: 5) })
        #expect(delays.count > 10)
    }
}
