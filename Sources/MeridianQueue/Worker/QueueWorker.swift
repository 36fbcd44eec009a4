import Logging
import MeridianPostgres
import PostgresNIO
import ServiceLifecycle

/// Runs jobs from one or more queues until graceful shutdown: a ServiceLifecycle `Service`.
///
/// Per queue it claims batches with `FOR UPDATE SKIP LOCKED` up to the queue's concurrency;
/// a dedicated LISTEN connection turns enqueue notifications into coalesced wake-ups (a hint
/// only: it also polls); finished jobs are acknowledged in batches; long jobs' leases are
/// extended by heartbeats; a rescuer returns other workers' expired leases. On graceful
/// shutdown it stops claiming, lets running jobs finish until the deadline, gives back the
/// rest and flushes every acknowledgement before returning.
///
/// ```swift
/// var handlers = JobHandlers()
/// handlers.register("send-email") { job, logger in … }
/// let worker = QueueWorker(client: client, listenSettings: settings, handlers: handlers, logger: logger)
/// try await ServiceGroup(services: [worker], gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
public final class QueueWorker: Service {
    private let context: WorkerContext
    private let runners: [QueueName: QueueRunner]
    private let listenSettings: ConnectionSettings?
    private let logger: Logger

    /// - Parameters:
    ///   - client: a running pooled client (its `run()` is the caller's to keep going).
    ///   - listenSettings: where to open the LISTEN connection; `nil` polls only.
    public init(
        client: PostgresClient,
        listenSettings: ConnectionSettings?,
        handlers: JobHandlers,
        configuration: QueueWorkerConfiguration = QueueWorkerConfiguration(),
        logger: Logger
    ) {
        var logger = logger
        logger[metadataKey: "worker.id"] = "\(configuration.workerID)"
        self.logger = logger
        self.listenSettings = configuration.listens ? listenSettings : nil
        let context = WorkerContext(client: client, store: QueueStore(logger: logger), handlers: handlers, configuration: configuration)
        self.context = context
        var runners: [QueueName: QueueRunner] = [:]
        for queue in configuration.queues {
            runners[queue.name] = QueueRunner(settings: queue, context: context, logger: logger)
        }
        self.runners = runners
    }

    public func run() async throws {
        logger.info("worker starting", metadata: [
            "queues": "\(context.configuration.queues.map { "\($0.name)=\($0.concurrency)" }.joined(separator: ","))",
            "kinds": "\(context.handlers.kinds.map(\.rawValue).joined(separator: ","))",
        ])
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { helpers in
                helpers.addTask { await self.listen() }
                helpers.addTask { await self.heartbeats() }
                helpers.addTask { await self.rescues() }
                await withTaskGroup(of: Void.self) { core in
                    core.addTask { await self.flushAcknowledgements() }
                    await withTaskGroup(of: Void.self) { queues in
                        for runner in runners.values {
                            queues.addTask { await runner.run() }
                        }
                    }
                    context.finish()
                    context.acknowledgements.ready.signal()
                }
                helpers.cancelAll()
            }
        } onGracefulShutdown: {
            self.logger.info("graceful shutdown: no more claims; waiting for running jobs")
            self.context.stop()
            for runner in self.runners.values { runner.wake.signal() }
        }
        logger.info("worker stopped")
    }

    // MARK: Acknowledgements

    private func flushAcknowledgements() async {
        let configuration = context.configuration
        let buffer = context.acknowledgements
        while true {
            if buffer.count == 0 {
                if context.isFinishing { return }
                await buffer.ready.wait(timeout: .milliseconds(200))
                continue
            }
            if buffer.count < configuration.acknowledgementBatchSize && !context.isFinishing {
                try? await Task.sleep(for: configuration.acknowledgementDelay)
            }
            let (completions, failures) = buffer.take(limit: configuration.acknowledgementBatchSize)
            do {
                if !completions.isEmpty {
                    let result = try await context.store.complete(completions, on: context.client)
                    if !result.refused.isEmpty {
                        logger.warning("completions refused: the leases were lost (expired and rescued, or cancelled)", metadata: [
                            "job.ids": "\(result.refused.prefix(20).map(\.description).joined(separator: ","))",
                        ])
                    }
                }
                if !failures.isEmpty {
                    let result = try await context.store.fail(failures, on: context.client)
                    if !result.refused.isEmpty {
                        logger.warning("failures refused: the leases were lost", metadata: [
                            "job.ids": "\(result.refused.prefix(20).map(\.description).joined(separator: ","))",
                        ])
                    }
                    if !result.dead.isEmpty {
                        logger.warning("jobs dead after their last attempt", metadata: [
                            "job.ids": "\(result.dead.prefix(20).map(\.description).joined(separator: ","))",
                        ])
                    }
                    // Retries come back as scheduled jobs: make sure their runner looks again.
                    for runner in runners.values { runner.wake.signal() }
                }
            } catch {
                logger.warning("acknowledgement failed; will retry", metadata: ["error": "\(String(reflecting: error))"])
                buffer.putBack(completions: completions, failures: failures)
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    // MARK: Wake-ups

    /// Keeps one LISTEN connection; every notification wakes the runner of the queue it
    /// names. After (re)connecting every runner is woken, as notifications may have been
    /// missed.
    private func listen() async {
        guard let settings = listenSettings else { return }
        while !Task.isCancelled {
            do {
                try await withPostgresConnection(settings, logger: logger) { connection in
                    try await connection.listen(on: QueueStore.notificationChannel) { notifications in
                        for runner in self.runners.values { runner.wake.signal() }
                        for try await notification in notifications {
                            self.runners[QueueName(notification.payload)]?.wake.signal()
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("LISTEN connection lost; polling until it is back", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    // MARK: Leases

    private func heartbeats() async {
        let interval = context.configuration.heartbeatInterval
        let leaseMilliseconds = context.configuration.leaseDuration.wholeMilliseconds
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            let leases = context.inFlight.leases(olderThan: interval)
            guard !leases.isEmpty else { continue }
            do {
                let result = try await context.store.heartbeat(leases, leaseMilliseconds: leaseMilliseconds, on: context.client)
                if !result.refused.isEmpty {
                    logger.warning("heartbeat refused: these jobs' leases were lost and may run elsewhere", metadata: [
                        "job.ids": "\(result.refused.prefix(20).map(\.description).joined(separator: ","))",
                    ])
                }
            } catch {
                logger.warning("heartbeat failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    private func rescues() async {
        let interval = context.configuration.rescueInterval.wholeMilliseconds
        while !Task.isCancelled {
            let jittered = interval + Int64.random(in: -(interval / 5)...(interval / 5))
            try? await Task.sleep(for: .milliseconds(max(1, jittered)))
            if Task.isCancelled { return }
            do {
                let result = try await context.store.rescueExpired(on: context.client)
                if result.returned > 0 || result.dead > 0 {
                    logger.notice("rescued jobs with expired leases", metadata: [
                        "jobs.returned": "\(result.returned)", "jobs.dead": "\(result.dead)",
                    ])
                }
            } catch {
                logger.warning("rescue failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }
}
