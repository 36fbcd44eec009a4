import Foundation
import Logging
import MeridianWorkflow
import PostgresNIO

/// Runs instances of deployed workflow definitions durably in PostgreSQL.
///
/// Every change to an instance — start, an event fired by a person, a task's result, a timer,
/// a migration — is one transaction: the new state and version, the history entry
/// (hash-chained), the approval vote, the idempotency key, and the tasks and timers enqueued
/// on the queue. Either all of it commits or none of it does. A fired event is written by
/// one statement that checks the version it was decided against (an optimistic step), or
/// under the instance's row lock when it keeps losing races, runs in-step tasks or joins a
/// caller's transaction. The decisions themselves are the pure `WorkflowMachine`'s; the
/// engine only persists them.
public struct WorkflowEngine: Sendable {
    /// How an engine is set up; the defaults suit the CLI.
    public struct Configuration: Sendable {
        /// The tasks and guards definitions may name (checked at deploy and load): the engine's
        /// own guards, plus what domains add with ``add(_:)``.
        public var registry: WorkflowRegistry
        /// Decides the definitions' named guards.
        public var guards: any GuardEvaluator
        /// Where the time comes from (a ``ManualClock`` in tests).
        public var clock: any EngineClock
        /// The queue the engine's tasks and timers go to.
        public var queue: String
        /// The Swift code behind task names: queued handlers run by ``jobHandlers()``, in-step
        /// handlers run by the engine inside the step that enters their task. A task with no
        /// handler here is enqueued and waits for a worker that knows it.
        public var tasks: TaskHandlers

        public init(
            registry: WorkflowRegistry = ContextGuards.registry,
            guards: any GuardEvaluator = ContextGuards(),
            clock: any EngineClock = SystemClock(),
            queue: String = WorkflowEngine.defaultQueue,
            tasks: TaskHandlers = TaskHandlers()
        ) {
            self.registry = registry
            self.guards = guards
            self.clock = clock
            self.queue = queue
            self.tasks = tasks
        }
    }

    /// The queue engine jobs go to unless configured otherwise.
    public static let defaultQueue = "engine"

    public let client: PostgresClient
    public let configuration: Configuration
    let logger: Logger
    let loader: WorkflowLoader
    let cache = DefinitionCache()

    /// - Parameters:
    ///   - client: a running pooled client (see `withPostgresClient`).
    ///   - logger: where the engine logs; metadata keys are `instance.id`, `workflow.id`, `job.id`.
    public init(client: PostgresClient, configuration: Configuration = Configuration(), logger: Logger) throws {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        do {
            self.loader = try WorkflowLoader(registry: configuration.registry)
        } catch {
            throw EngineError(.invalidDefinition, "cannot load the workflow schema: \(error.message)", hint: "the installation is broken; reinstall meridian", underlying: error)
        }
    }

    /// The engine's time, cut to microseconds so stored and hashed values agree.
    /// The engine's time: its clock's reading, cut to microseconds. Domain code that dates
    /// what it writes (ledger postings, payment instructions) reads it here, so a test's
    /// ``ManualClock`` moves it too.
    public func now() -> Date { configuration.clock.now().truncatedToMicroseconds }
}
