import Foundation

/// How a ``QueueWorker`` runs; every field has a documented default.
public struct QueueWorkerConfiguration: Sendable {
    /// One queue to serve and how many of its jobs may run at once.
    public struct QueueSettings: Sendable, Hashable {
        public var name: QueueName
        public var concurrency: Int

        public init(_ name: QueueName, concurrency: Int = QueueWorkerConfiguration.defaultConcurrency) {
            precondition(concurrency >= 1, "a queue needs a concurrency of at least 1")
            self.name = name
            self.concurrency = concurrency
        }
    }

    /// Jobs run at once per queue when not configured (as River's default).
    public static let defaultConcurrency = 100

    /// The queues served. Default: `default` with ``defaultConcurrency``.
    public var queues: [QueueSettings] = [QueueSettings(.default)]
    /// The most jobs one claim statement takes (never more than the free slots). Default 100.
    public var claimBatchSize: Int = 100
    /// How long a claimed job's lease lasts before the rescuer may give it to another
    /// worker. Default 30 s.
    public var leaseDuration: Duration = .seconds(30)
    /// How often leases of running jobs are extended. Default 10 s (a third of the lease).
    public var heartbeatInterval: Duration = .seconds(10)
    /// The longest a worker sleeps without looking at the table (the fallback for lost
    /// notifications). Default 1 s.
    public var pollInterval: Duration = .seconds(1)
    /// For this long after a claim that took jobs, an idle runner looks again every quarter
    /// of it instead of sleeping a whole poll interval. Concurrent enqueues share one
    /// wake-up (only one open transaction per queue notifies, see 0007_wakeups.sql), so a job
    /// committed just after the notifying one is found this way. Default 100 ms.
    public var followUpWindow: Duration = .milliseconds(100)
    /// How often this worker looks for expired leases (with ±20 % jitter). Default 15 s.
    public var rescueInterval: Duration = .seconds(15)
    /// How long finished jobs wait to be acknowledged together. Default 2 ms.
    public var acknowledgementDelay: Duration = .milliseconds(2)
    /// The most acknowledgements in one statement. Default 2000.
    public var acknowledgementBatchSize: Int = 2_000
    /// On graceful shutdown, how long running jobs may still finish before they are cancelled
    /// and given back. Default 25 s.
    public var shutdownDeadline: Duration = .seconds(25)
    /// The longest one attempt of a job may run: then its body is cancelled and the attempt
    /// fails (retried with backoff like any failure), so a body that hangs cannot hold its
    /// lease for ever through the heartbeats. `nil`: no limit. Default 5 minutes (River's
    /// default is one minute; Meridian's imports run longer).
    public var jobTimeout: Duration? = .seconds(300)
    /// Delays between attempts.
    public var retryPolicy = RetryPolicy()
    /// Whether to keep a LISTEN connection for wake-ups (else only polling). Default true.
    public var listens = true
    /// Names this worker in leases (`leased_by`) and logs. Default `host:pid`.
    public var workerID: String = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"

    public init() {}
}

extension Duration {
    /// Whole milliseconds, for binding to SQL intervals.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
