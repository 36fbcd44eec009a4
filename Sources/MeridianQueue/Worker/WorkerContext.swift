import Logging
import PostgresNIO
import Synchronization

/// What the parts of one ``QueueWorker`` run share: the database, the handlers, the leases
/// held, the acknowledgements waiting and the stop flag.
final class WorkerContext: Sendable {
    let client: PostgresClient
    let store: QueueStore
    let handlers: JobHandlers
    let configuration: QueueWorkerConfiguration
    let inFlight = InFlightJobs()
    let acknowledgements: AcknowledgementBuffer
    private let stopping = Atomic<Bool>(false)
    private let finishing = Atomic<Bool>(false)

    init(client: PostgresClient, store: QueueStore, handlers: JobHandlers, configuration: QueueWorkerConfiguration) {
        self.client = client
        self.store = store
        self.handlers = handlers
        self.configuration = configuration
        self.acknowledgements = AcknowledgementBuffer(batchSize: configuration.acknowledgementBatchSize)
    }

    /// Set on graceful shutdown: claim nothing more.
    var isStopping: Bool { stopping.load(ordering: .relaxed) }
    func stop() { stopping.store(true, ordering: .relaxed) }

    /// Set once every runner has ended: the flusher empties the buffer and ends.
    var isFinishing: Bool { finishing.load(ordering: .relaxed) }
    func finish() { finishing.store(true, ordering: .relaxed) }
}
