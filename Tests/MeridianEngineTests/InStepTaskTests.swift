import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianEngine
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Synchronization
import Testing
import MeridianPostgres

/// In-step tasks run inside the transaction of the step that enters them; domain writes go
/// through `fire(_:on:)` and `start(…on:)` in the caller's transaction.
@Suite("In-step tasks and caller-held transactions")
struct InStepTaskTests {
    /// The review workflow's `check` task as an in-step handler writing to a scratch table, or
    /// refusing when `refuse` holds.
    private static func engine(_ fixture: EngineFixture, refuse: Bool, seen: Recorder) throws -> WorkflowEngine {
        var tasks = TaskHandlers()
        tasks.registerInStep("check") { input, connection, logger in
            seen.inputs.withLock { $0.append(input) }
            try await connection.query("INSERT INTO in_step_effects (instance, version) VALUES (\(input.instanceID), \(input.version))", logger: logger)
            if refuse { throw Refused() }
        }
        return try WorkflowEngine(client: fixture.client, configuration: .init(registry: EngineFixture.registry, clock: fixture.clock, tasks: tasks),
                                  logger: fixture.database.logger)
    }

    private struct Refused: Error, Equatable {}

    /// What the in-step handler saw.
    private final class Recorder: Sendable {
        let inputs = Mutex<[InStepTaskInput]>([])
    }

    private static func createEffectsTable(_ fixture: EngineFixture) async throws {
        try await fixture.client.query("CREATE TABLE in_step_effects (instance uuid NOT NULL, version bigint NOT NULL)", logger: fixture.database.logger)
    }

    @Test("the approval that enters an in-step task runs it in its own transaction: its write commits with the step, no job is enqueued")
    func inStepRunsWithTheStep() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review(quorum: 1))
            try await Self.createEffectsTable(fixture)
            let seen = Recorder()
            let engine = try Self.engine(fixture, refuse: false, seen: seen)
            let instance = try await engine.start(workflow: "review")
            _ = try await engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author()))
            let jobsBefore = try await fixture.count("queue_jobs")
            let outcome = try await engine.fire(FireRequest(instanceID: instance.id, event: "approve", data: ["note": .string("fine")], actor: .approver("bob")))
            #expect(outcome.status == .applied && outcome.to == "checking")
            let input = try #require(seen.inputs.withLock { $0.first })
            #expect(input.task == "check" && input.state == "checking" && input.takenEvent == "approved" && input.firedEvent == "approve")
            #expect(input.actor.id == "bob" && input.version == outcome.version && input.data["note"] == .string("fine"))
            #expect(try await fixture.count("in_step_effects", where: "version = \(outcome.version)") == 1)
            // The step's timers are enqueued as before, but not the in-step task.
            #expect(try await fixture.count("queue_jobs", where: "kind = 'workflow-task:check'") == 0)
            #expect(try await fixture.count("queue_jobs") >= jobsBefore)
        }
    }

    @Test("an in-step task that throws rolls the whole step back and the error reaches the caller")
    func throwingInStepRollsBack() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review(quorum: 1))
            try await Self.createEffectsTable(fixture)
            let seen = Recorder()
            let engine = try Self.engine(fixture, refuse: true, seen: seen)
            let instance = try await engine.start(workflow: "review")
            _ = try await engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author()))
            let before = try await engine.instance(instance.id)
            let historyBefore = try await engine.history(of: instance.id).count
            let jobsBefore = try await fixture.count("queue_jobs")
            await #expect(throws: Refused.self) {
                try await engine.fire(FireRequest(instanceID: instance.id, event: "approve", actor: .approver("bob"), idempotencyKey: "vote-1"))
            }
            let after = try await engine.instance(instance.id)
            #expect(after.state == "approval" && after.version == before.version)
            #expect(try await engine.history(of: instance.id).count == historyBefore)
            #expect(try await fixture.count("in_step_effects") == 0)
            #expect(try await fixture.count("queue_jobs") == jobsBefore)
            // The refused vote was not recorded: the same approver may vote again once the cause is gone.
            #expect(try await fixture.count("engine_event_keys", where: "key = 'vote-1'") == 0)
        }
    }

    @Test("start(…on:) and fire(_:on:) commit with the caller's own writes, or roll back with them")
    func callerHeldTransaction() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review(quorum: 1))
            try await fixture.client.query("CREATE TABLE requests (instance uuid PRIMARY KEY)", logger: fixture.database.logger)
            let logger = fixture.database.logger
            struct Abandon: Error {}
            let abandoned = UUID()
            await #expect(throws: Abandon.self) {
                try await fixture.client.transaction(logger: logger) { connection in
                    try await connection.query("INSERT INTO requests VALUES (\(abandoned))", logger: logger)
                    try await fixture.engine.start(workflow: "review", id: abandoned, on: connection)
                    _ = try await fixture.engine.fire(FireRequest(instanceID: abandoned, event: "submit", actor: .author()), on: connection)
                    throw Abandon()
                }
            }
            #expect(try await fixture.count("requests") == 0)
            #expect(try await fixture.count("engine_instances") == 0)
            #expect(try await fixture.count("queue_jobs") == 0)
            let kept = UUID()
            let outcome = try await fixture.client.transaction(logger: logger) { connection in
                try await connection.query("INSERT INTO requests VALUES (\(kept))", logger: logger)
                try await fixture.engine.start(workflow: "review", id: kept, on: connection)
                return try await fixture.engine.fire(FireRequest(instanceID: kept, event: "submit", actor: .author()), on: connection)
            }
            #expect(outcome.status == .applied && outcome.to == "approval")
            #expect(try await fixture.count("requests") == 1)
            #expect(try await fixture.engine.instance(kept).state == "approval")
        }
    }
}
