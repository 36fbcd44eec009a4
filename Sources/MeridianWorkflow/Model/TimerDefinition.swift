/// A timer: when the instance is still in the state after `after`, `event` fires.
public struct TimerDefinition: Sendable, Hashable {
    /// The duration as written, kept for diagnostics and the canonical form.
    public var afterText: String
    /// The parsed duration; `nil` when `afterText` is not a valid ISO 8601 duration.
    public var after: ISODuration?
    public var event: String
    public var positions: SourcePositions

    public init(after: String, event: String, positions: SourcePositions = .none) {
        self.afterText = after
        self.after = try? ISODuration(parsing: after)
        self.event = event
        self.positions = positions
    }
}
