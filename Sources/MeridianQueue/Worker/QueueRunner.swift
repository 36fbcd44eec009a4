import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Claims and runs the jobs of one queue for a ``QueueWorker``, never more at once than the
/// queue's concurrency.
///
/// It claims only as many jobs as it has free slots (up to a batch), sleeps when the queue is
/// empty until a notification, a freed batch of slots, the next scheduled run-at or the poll
/// interval wakes it, and on shutdown lets running jobs finish until the deadline, then gives
/// the rest back.
final class QueueRunner: Sendable {
    let settings: QueueWorkerConfiguration.QueueSettings
    /// Woken by notifications for this queue and by slots becoming free.
    let wake = WakeSignal()
    private let running = Atomic<Int>(0)
    private let context: WorkerContext
    private let logger: Logger
    /// Free slots worth a claim while jobs are still running: avoids claiming one job at a
    /// time when many finish in quick succession.
    private let refillThreshold: Int

    init(settings: QueueWorkerConfiguration.QueueSettings, context: WorkerContext, logger: Logger) {
        self.settings = settings
        self.context = context
        var logger = logger
        logger[metadataKey: "queue.name"] = "\(settings.name)"
        self.logger = logger
        self.refillThreshold = max(1, min(settings.concurrency, context.configuration.claimBatchSize) / 2)
    }

    func run() async {
        let configuration = context.configuration
        let kinds = context.handlers.kinds
        await withDiscardingTaskGroup { jobs in
            var nextScheduled: ContinuousClock.Instant?
            // The last claim took all it asked for: there is a backlog, so wait for a batch
            // of free slots rather than claiming one job at a time.
            var draining = false
            // When a claim last took jobs: for a short while after, look again often (see
            // `QueueWorkerConfiguration.followUpWindow`).
            var lastTookJobs: ContinuousClock.Instant?
            while !context.isStopping && !Task.isCancelled {
                let free = settings.concurrency - running.load(ordering: .relaxed)
                if free <= 0 || (draining && free < refillThreshold) {
                    let signalled = await wake.wait(timeout: configuration.pollInterval)
                    // A whole poll interval without a batch freed: long jobs; fill what is free.
                    if !signalled { draining = false }
                    continue
                }
                let wanted = min(free, configuration.claimBatchSize)
                let claimed: [ClaimedJob]
                do {
                    claimed = try await context.store.claim(
                        queue: settings.name, limit: wanted, kinds: kinds,
                        leaseMilliseconds: configuration.leaseDuration.wholeMilliseconds,
                        workerID: configuration.workerID, on: context.client
                    )
                } catch {
                    logger.warning("claim failed; retrying after the poll interval", metadata: ["error": "\(String(reflecting: error))"])
                    _ = await wake.wait(timeout: configuration.pollInterval)
                    continue
                }
                for job in claimed {
                    context.inFlight.insert(job)
                    running.add(1, ordering: .relaxed)
                    jobs.addTask { await self.execute(job) }
                }
                if !claimed.isEmpty { lastTookJobs = .now }
                draining = claimed.count == wanted
                if draining { continue }
                // The queue has nothing more claimable now: make due scheduled jobs claimable
                // and learn when the next one is due, then sleep until then at the latest.
                do {
                    let promotion = try await context.store.promoteDue(queue: settings.name, on: context.client)
                    if promotion.promoted > 0 { continue }
                    nextScheduled = promotion.nextRunAt.map { .now + .milliseconds(max(0, Int64($0.timeIntervalSinceNow * 1000))) }
                } catch {
                    logger.warning("promoting scheduled jobs failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                var timeout = configuration.pollInterval
                // Jobs were taken a moment ago: look again soon. An enqueue that committed just
                // after the one whose wake-up we got sent none of its own (one notifier per
                // queue at a time, see 0007_wakeups.sql); this finds its job without waiting
                // for the poll.
                if let lastTookJobs, ContinuousClock.now - lastTookJobs < configuration.followUpWindow {
                    timeout = min(timeout, configuration.followUpWindow / 4)
                }
                if let nextScheduled { timeout = min(timeout, max(.zero, nextScheduled - .now)) }
                if timeout > .zero { _ = await wake.wait(timeout: timeout) }
                if isDue(nextScheduled) { nextScheduled = nil }
            }
            await finish(jobs: &jobs)
        }
    }

    private func isDue(_ instant: ContinuousClock.Instant?) -> Bool {
        guard let instant else { return false }
        return instant <= .now
    }

    /// Graceful end: wait for running bodies up to the deadline, then give the rest back
    /// (their attempt is not counted) and cancel their bodies.
    private func finish(jobs: inout DiscardingTaskGroup) async {
        let deadline = ContinuousClock.now + context.configuration.shutdownDeadline
        while running.load(ordering: .relaxed) > 0 && ContinuousClock.now < deadline && !Task.isCancelled {
            _ = await wake.wait(timeout: min(deadline - .now, .milliseconds(50)))
        }
        guard running.load(ordering: .relaxed) > 0 else { return }
        let leases = context.inFlight.removeAll(queue: settings.name)
        if !leases.isEmpty {
            do {
                let result = try await context.store.release(leases, on: context.client)
                logger.notice("shutdown deadline passed: gave back running jobs", metadata: [
                    "jobs.released": "\(result.accepted.count)", "jobs.lost": "\(result.refused.count)",
                ])
            } catch {
                logger.error("could not give back running jobs; the rescuer will return them when their leases expire", metadata: [
                    "error": "\(String(reflecting: error))",
                ])
            }
        }
        jobs.cancelAll()
    }

    private func execute(_ job: ClaimedJob) async {
        var message: String?
        if let handler = context.handlers.handler(for: job.kind) {
            message = await attempt(job, with: handler)
        } else {
            message = "no handler for job kind \(job.kind) in worker \(context.configuration.workerID)"
        }
        if context.inFlight.remove(job.lease) {
            if let message {
                let delay = context.configuration.retryPolicy.delay(afterAttempt: job.attempt)
                context.acknowledgements.fail(Failure(lease: job.lease, message: message, retryDelayMilliseconds: delay))
                logger.info("job failed", metadata: ["job.id": "\(job.id)", "job.attempt": "\(job.attempt)", "error": "\(message)"])
            } else {
                context.acknowledgements.complete(job.lease)
            }
        }
        let stillRunning = running.subtract(1, ordering: .relaxed).newValue
        let free = settings.concurrency - stillRunning
        if free == refillThreshold || free == 1 || stillRunning == 0 || context.isStopping { wake.signal() }
    }

    /// Runs the job's body, within the job timeout when there is one; the failure's message,
    /// or `nil` when it succeeded.
    private func attempt(_ job: ClaimedJob, with handler: any JobHandler) async -> String? {
        let logger = self.logger
        guard let limit = context.configuration.jobTimeout else { return await Self.run(job, handler, logger) }
        let body = Task { await Self.run(job, handler, logger) }
        if let outcome = await result(of: body, within: limit) { return outcome }
        logger.warning("job timed out: its body was cancelled and the attempt failed", metadata: [
            "job.id": "\(job.id)", "job.kind": "\(job.kind)", "job.timeout": "\(limit)",
        ])
        return "the job ran longer than its timeout (\(limit)); its body was cancelled"
    }

    private static func run(_ job: ClaimedJob, _ handler: any JobHandler, _ logger: Logger) async -> String? {
        do {
            try await handler.handle(job, logger: logger)
            return nil
        } catch {
            return String(describing: error)
        }
    }
}
