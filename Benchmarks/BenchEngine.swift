import ArgumentParser
import Foundation
import Logging
import MeridianEngine
import MeridianPostgres
import MeridianQueue
import MeridianWorkflow
import PostgresNIO
import ServiceLifecycle

/// `meridian-bench engine`: transitions per second of instances driven by their tasks.
struct BenchEngine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Drive instances through a chain of states, one task per state, and print transitions/s.",
        discussion: """
            In a scratch database (created on the configured server and dropped afterwards): \
            deploys a definition of --steps states, each with one entry task whose result fires \
            the event to the next; starts --instances instances; then a queue worker with \
            --workers concurrent handlers runs the tasks. Each task result is one engine step in \
            its own transaction (version check, history entry with its hash, idempotency key, \
            the next task enqueued). Prints transitions/s over the task-driven steps, counted from \
            the history rows the run wrote (not computed as instances × steps), and exits 1 when a \
            history is broken, an instance did not finish or a transition is missing or doubled.

            Example:
              swift build -c release && .build/release/meridian-bench engine --instances 1000
            """
    )

    @Option(help: "Instances to drive.")
    var instances = 2000

    @Option(help: "States (and tasks) per instance.")
    var steps = 10

    @Option(help: "Concurrent task handlers in the worker.")
    var workers = 64

    @Option(help: "Database connections the worker's handlers share.")
    var connections = 10

    @Flag(help: "Run in the configured database itself instead of a scratch one (its instances stay there; for crash tests).")
    var inPlace = false

    @OptionGroup var database: BenchDatabaseOptions

    func validate() throws {
        guard instances > 0, (1...100).contains(steps), (1...64).contains(workers), (2...100).contains(connections) else {
            throw ValidationError("--instances must be positive, --steps 1-100, --workers 1-64, --connections 2-100.")
        }
    }

    struct Line: Encodable {
        var benchmark = "engine"
        var instances: Int
        var steps: Int
        var workers: Int
        var connections: Int
        /// Task-driven steps counted in the history (rows with the event `next` of this run's instances).
        var transitions: Int
        /// What the run should have written: instances × steps.
        var expectedTransitions: Int
        /// Instances of this run that reached the final state.
        var finished: Int
        var seconds: Double
        var transitionsPerSecond: Int
        var historyIntact: Bool
    }

    func run() async throws {
        let server = try await database.connect()
        var logger = database.logger
        logger.logLevel = max(logger.logLevel, .warning)
        if inPlace {
            let line = try await measure(server, logger: logger)
            print(try BenchJSON.line(line))
            try Self.check(line)
            return
        }
        let name = "meridian_bench_engine_\(ProcessInfo.processInfo.processIdentifier)"
        try await ScratchDatabase.with(name, on: server, logger: logger) { scratch in
            try await Migrator.bundled().migrate(scratch, logger: logger)
            let line = try await measure(scratch, logger: logger)
            print(try BenchJSON.line(line))
            print("\(line.transitionsPerSecond) transitions/s (\(line.transitions) transitions in the history of \(instances) instances × \(steps) steps, \(workers) workers, \(connections) connections, \(String(format: "%.2f", line.seconds)) s)")
            try Self.check(line)
        }
    }

    /// Fails the run (exit 1) when what the database holds is not what the run should have left.
    static func check(_ line: Line) throws {
        var faults: [String] = []
        if !line.historyIntact { faults.append("a history chain is broken (see `meridian audit verify`)") }
        if line.finished != line.instances { faults.append("\(line.instances - line.finished) of \(line.instances) instances did not finish") }
        if line.transitions != line.expectedTransitions {
            faults.append("the history holds \(line.transitions) task-driven transitions, not \(line.expectedTransitions)")
        }
        guard faults.isEmpty else {
            throw BenchFailure("the engine benchmark's result is not valid: \(faults.joined(separator: "; "))")
        }
    }

    private func measure(_ settings: ConnectionSettings, logger: Logger) async throws -> Line {
        var settings = settings
        settings.maximumConnections = connections
        return try await withPostgresClient(settings, logger: logger) { client in
            let engine = try WorkflowEngine(client: client, configuration: .init(registry: WorkflowRegistry(tasks: ["bench-step"])), logger: logger)
            _ = try await engine.deploy([.init(name: "bench-chain.xml", bytes: Array(Self.chain(steps: steps).utf8))])
            let instanceIDs: [UUID] = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for slice in 0..<8 {
                    group.addTask {
                        var ids: [UUID] = []
                        for _ in stride(from: slice, to: instances, by: 8) {
                            ids.append(try await engine.start(workflow: "bench-chain").id)
                        }
                        return ids
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            var tasks = TaskHandlers()
            tasks.register("bench-step") { _, _ in .fire("next") }
            var configuration = QueueWorkerConfiguration()
            configuration.queues = [.init(QueueName(WorkflowEngine.defaultQueue), concurrency: workers)]
            configuration.pollInterval = .milliseconds(20)
            let worker = QueueWorker(client: client, listenSettings: settings, handlers: engine.jobHandlers(tasks: tasks),
                                     configuration: configuration, logger: logger)
            let group = ServiceGroup(configuration: .init(services: [worker], logger: logger))
            let clock = ContinuousClock()
            let started = clock.now
            let elapsed: Duration = try await withThrowingTaskGroup(of: Duration?.self) { tasks in
                tasks.addTask { try await group.run(); return nil }
                tasks.addTask {
                    while true {
                        let rows = try await client.query("SELECT count(*) FROM engine_instances WHERE id = ANY(\(instanceIDs)) AND NOT is_final",
                                                          logger: logger).collect()
                        if try rows[0].decode(Int.self) == 0 { break }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    let elapsed = clock.now - started
                    await group.triggerGracefulShutdown()
                    return elapsed
                }
                var result: Duration = .zero
                for try await value in tasks { if let value { result = value } }
                return result
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let transitions = try await client.query("""
                SELECT count(*) FROM engine_history WHERE instance_id = ANY(\(instanceIDs)) AND event = 'next'
                """, logger: logger).collect()[0].decode(Int.self)
            let report = try await engine.verifyHistory()
            let finished = try await client.query("""
                SELECT count(*) FROM engine_instances WHERE id = ANY(\(instanceIDs)) AND is_final AND version = \(Int64(steps + 1))
                """, logger: logger).collect()[0].decode(Int.self)
            return Line(instances: instances, steps: steps, workers: workers, connections: connections, transitions: transitions,
                        expectedTransitions: instances * steps, finished: finished, seconds: seconds,
                        transitionsPerSecond: Int(Double(transitions) / seconds), historyIntact: report.isIntact)
        }
    }

    static func chain(steps: Int) -> String {
        var states = ""
        for index in 1...steps {
            states += """
              <state id="s\(index)">
                <entry><task name="bench-step" max-attempts="3"/></entry>
                <on event="next" target="\(index == steps ? "finished" : "s\(index + 1)")"/>
              </state>

            """
        }
        return """
            <workflow xmlns="urn:meridian:workflow:1" id="bench-chain" version="1" initial="s1">
              <roles><role id="operator"/></roles>
            \(states)  <final id="finished"/>
            </workflow>
            """
    }
}
