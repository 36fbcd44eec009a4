import Foundation
@testable import MeridianEngine
import MeridianDomainTestSupport
import MeridianPostgres
import MeridianQueue
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

/// A step decided from a reading that another step has overtaken must write nothing of what
/// it decided, and be decided again against the instance as it is now.
@Suite("Optimistic steps")
struct OptimisticStepTests {
    @Test("a step decided from an overtaken reading writes nothing of it and is decided again against the new state")
    func overtakenReading() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review(quorum: 1))
            let engine = fixture.engine
            let instance = try await engine.start(workflow: "review")
            let stale = try await InstanceReading.read(instance.id, key: nil, on: engine.client, logger: engine.logger)
            // Overtaken: submitted and approved since the reading.
            _ = try await engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author()))
            _ = try await engine.fire(FireRequest(instanceID: instance.id, event: "approve", actor: .approver("bob")))
            #expect(try await engine.instance(instance.id).state == "checking")
            // From the stale reading "draft-expired" would be taken; against "checking" it is refused.
            let outcome = try await engine.fireOptimistically(
                FireRequest(instanceID: instance.id, event: "draft-expired", actor: .system("timer")), requiredStateEntry: nil, reading: stale)
            #expect(outcome.status == .rejected && outcome.from == "checking")
            let now = try await engine.instance(instance.id)
            #expect(now.state == "checking" && now.version == 3)
            #expect(try await engine.history(of: instance.id).map(\.event) == ["start", "submit", "approve"])
            #expect(try await engine.verifyHistory(instance: instance.id).isIntact)
        }
    }

    @Test("a step from an overtaken reading is applied once against the new state, its tasks enqueued once")
    func overtakenReadingApplies() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review(quorum: 2))
            let engine = fixture.engine
            let instance = try await engine.start(workflow: "review")
            _ = try await engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author()))
            let stale = try await InstanceReading.read(instance.id, key: nil, on: engine.client, logger: engine.logger)
            _ = try await engine.fire(FireRequest(instanceID: instance.id, event: "approve", actor: .approver("bob")))
            // Carol's vote was decided when bob's was not in yet; decided again, it reaches the quorum.
            let outcome = try await engine.fireOptimistically(
                FireRequest(instanceID: instance.id, event: "approve", actor: .approver("carol")), requiredStateEntry: nil, reading: stale)
            #expect(outcome.status == .applied && outcome.to == "checking" && outcome.version == 4)
            let history = try await engine.history(of: instance.id)
            #expect(history.map(\.actorID) == ["engine", "alice", "bob", "carol"])
            #expect(try await engine.verifyHistory(instance: instance.id).isIntact)
            let checks = try await engine.client.query(
                "SELECT count(*) FROM queue_jobs WHERE kind = 'workflow-task:check' AND (payload->>'instance')::uuid = \(instance.id)",
                logger: engine.logger).collect()
            #expect(try checks[0].decode(Int.self) == 1)
        }
    }

    @Test("a key that a refusal recorded after the reading is replayed, not overwritten by a step")
    func refusalRecordedAfterTheReading() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review())
            let engine = fixture.engine
            let instance = try await engine.start(workflow: "review")
            let stale = try await InstanceReading.read(instance.id, key: "form-9", on: engine.client, logger: engine.logger)
            #expect(stale.firstOutcome == nil)
            // Meanwhile the key is used by someone without the role: refused, and the refusal is the key's outcome.
            let refused = try await engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .approver("bob"), idempotencyKey: "form-9"))
            #expect(refused.status == .rejected)
            // The step decided from the reading (the author may submit) meets the key on write and replays the refusal.
            let again = try await engine.fireOptimistically(
                FireRequest(instanceID: instance.id, event: "submit", actor: .author(), idempotencyKey: "form-9"), requiredStateEntry: nil, reading: stale)
            #expect(again.status == .rejected && again.replayed)
            let now = try await engine.instance(instance.id)
            #expect(now.state == "draft" && now.version == 1)
        }
    }

    @Test("events racing on one hot instance all end decided: each distinct vote once, one transition")
    func hotInstance() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review(quorum: 3))
            let engine = fixture.engine
            let instance = try await engine.start(workflow: "review")
            _ = try await engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author()))
            let outcomes = try await withThrowingTaskGroup(of: FireOutcome.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        try await engine.fire(FireRequest(instanceID: instance.id, event: "approve", actor: .approver("approver-\(index % 4)")))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Four distinct approvers: three votes reach the quorum, the rest find the state left or the vote cast.
            #expect(outcomes.filter { $0.status == .applied }.count == 3)
            let history = try await engine.history(of: instance.id)
            #expect(history.filter { $0.from == "approval" && $0.to == "checking" }.count == 1)
            #expect(Set(history.filter { !$0.vote.isEmpty }.map(\.actorID)).count == 3)
            #expect(try await engine.instance(instance.id).state == "checking")
            #expect(try await engine.verifyHistory(instance: instance.id).isIntact)
        }
    }

    @Test("a step whose version check fails enqueues nothing: the new state's timer exists once")
    func failedWriteEnqueuesNothing() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review())
            let engine = fixture.engine
            let instance = try await engine.start(workflow: "review")
            let stale = try await InstanceReading.read(instance.id, key: nil, on: engine.client, logger: engine.logger)
            _ = try await engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author()))
            // Decided from the stale reading, this submit would enter "approval" and set its timer again.
            let again = try await engine.fireOptimistically(
                FireRequest(instanceID: instance.id, event: "submit", actor: .author()), requiredStateEntry: nil, reading: stale)
            #expect(again.status == .rejected && again.from == "approval")
            let timers = try await fixture.count("queue_jobs", where: "kind = 'workflow-timer' AND payload->>'event' = 'approval-overdue'")
            #expect(timers == 1)
        }
    }

    @Test("a keyed refusal decided from an overtaken reading is not recorded: the event is decided again and applies")
    func keyedRefusalLosesToAStep() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review())
            let engine = fixture.engine
            let instance = try await engine.start(workflow: "review")
            let stale = try await InstanceReading.read(instance.id, key: "vote-1", on: engine.client, logger: engine.logger)
            _ = try await engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author()))
            // In "draft" an approval is refused; the instance is in "approval" by now.
            let vote = try await engine.fireOptimistically(
                FireRequest(instanceID: instance.id, event: "approve", actor: .approver("bob"), idempotencyKey: "vote-1"),
                requiredStateEntry: nil, reading: stale)
            #expect(vote.status == .applied && vote.from == "approval" && !vote.replayed)
            let replay = try await engine.fire(FireRequest(instanceID: instance.id, event: "approve", actor: .approver("bob"), idempotencyKey: "vote-1"))
            #expect(replay.replayed && replay.status == .applied)
            #expect(try await fixture.count("engine_votes") == 1)
        }
    }

    @Test("a key used inside a caller's open transaction and by an optimistic step at once: applied once, the other replays")
    func keyInACallersTransaction() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review())
            let engine = fixture.engine
            let instance = try await engine.start(workflow: "review")
            let request = FireRequest(instanceID: instance.id, event: "submit", actor: .author(), idempotencyKey: "form-3")
            let stale = try await InstanceReading.read(instance.id, key: "form-3", on: engine.client, logger: engine.logger)
            async let held: FireOutcome = engine.client.transaction(logger: engine.logger) { connection in
                let outcome = try await engine.fire(request, on: connection)
                try await Task.sleep(for: .milliseconds(300))  // the optimistic write waits on this row lock
                return outcome
            }
            try await Task.sleep(for: .milliseconds(100))
            let optimistic = try await engine.fireOptimistically(request, requiredStateEntry: nil, reading: stale)
            let first = try await held
            #expect(first.status == .applied && !first.replayed)
            #expect(optimistic.status == .applied && optimistic.replayed && optimistic.version == first.version)
            #expect(try await engine.history(of: instance.id).count == 2)
        }
    }
}
