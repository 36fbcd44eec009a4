/// The bounds a hostile XML file must stay within before and while it is parsed.
public struct XMLLimits: Sendable, Hashable {
    /// The largest input accepted, in bytes.
    public var maxBytes: Int
    /// The deepest element nesting accepted.
    public var maxDepth: Int

    public init(maxBytes: Int = 16 << 20, maxDepth: Int = 64) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    /// 16 MiB (a bank status report for tens of thousands of payments), 64 levels (pain.002 needs 8).
    public static let standard = XMLLimits()
}
