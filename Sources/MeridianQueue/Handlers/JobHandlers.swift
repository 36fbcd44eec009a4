import Logging

/// The handlers a worker runs, keyed by job kind.
///
/// A worker claims only jobs of the kinds registered here: jobs of other kinds stay waiting
/// for a worker that knows them (they are never failed or lost for want of a handler), and
/// `meridian queue stats` shows them ageing.
public struct JobHandlers: Sendable {
    private var handlers: [JobKind: any JobHandler] = [:]

    public init() {}

    /// Registers `handler` for `kind`, replacing any earlier one.
    public mutating func register(_ kind: JobKind, _ handler: any JobHandler) {
        handlers[kind] = handler
    }

    /// Registers a closure for `kind`, replacing any earlier handler.
    public mutating func register(_ kind: JobKind, _ body: @escaping @Sendable (ClaimedJob, Logger) async throws -> Void) {
        handlers[kind] = ClosureJobHandler(body)
    }

    /// The kinds with a handler, sorted.
    public var kinds: [JobKind] { handlers.keys.sorted { $0.rawValue < $1.rawValue } }

    public func handler(for kind: JobKind) -> (any JobHandler)? { handlers[kind] }
}
