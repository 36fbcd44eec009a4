import Logging
import PostgresNIO

/// The queue's SQL: every operation is one statement over bound values (arrays for batches),
/// run on whatever ``QueueDatabase`` the caller passes.
///
/// The store holds no connection of its own, so the same value serves an enqueue inside an
/// engine transaction, a worker's pooled client and an operator's command.
public struct QueueStore: Sendable {
    public var logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The notification channel every statement that makes jobs claimable signals on; the
    /// payload is the queue's name.
    public static let notificationChannel = "meridian_queue"
}
