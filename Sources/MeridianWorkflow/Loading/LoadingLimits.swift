/// The bounds the loader enforces on a definition file before and while parsing it.
public struct LoadingLimits: Sendable, Hashable {
    /// The largest file accepted, in bytes; only this many plus one are ever read.
    public var maxBytes: Int
    /// The deepest element nesting accepted (the language itself needs 5).
    public var maxDepth: Int

    /// The most approvers a quorum may ask for.
    public var maxQuorum: Int
    /// The longest timer accepted.
    public var longestTimer: ISODuration

    public init(maxBytes: Int = 1 << 20, maxDepth: Int = 64, maxQuorum: Int = 9, longestTimer: ISODuration = ISODuration(years: 2)) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxQuorum = maxQuorum
        self.longestTimer = longestTimer
    }

    /// 1 MiB, 64 levels (ten times what the shipped definitions need), 9 approvers, timers up to two years.
    public static let standard = LoadingLimits()
}
