import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianEngine
import MeridianPostgres
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("Instances and events")
struct InstanceTests {
    @Test("an instance stays pinned to the version it started on")
    func pinnedVersion() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review(version: 1))
            let old = try await fixture.engine.start(workflow: "review", context: ["title": .string("Water")])
            try await fixture.deploy(Definitions.review(version: 2, quorum: 2))
            let new = try await fixture.engine.start(workflow: "review")
            let chosen = try await fixture.engine.start(workflow: "review", version: 1)
            #expect(old.workflowVersion == 1)
            #expect(new.workflowVersion == 2)
            #expect(chosen.workflowVersion == 1)
            #expect(old.state == "draft" && old.version == 1)
            _ = try await fixture.engine.fire(FireRequest(instanceID: old.id, event: "submit", actor: .author()))
            #expect(try await fixture.engine.instance(old.id).workflowVersion == 1)
        }
    }

    @Test("an accepted event moves the instance, bumps its version and appends history")
    func fireApplies() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review())
            let instance = try await fixture.engine.start(workflow: "review")
            let outcome = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "submit",
                                                                    data: ["comment": .string("ready")], actor: .author()))
            #expect(outcome.status == .applied)
            #expect(outcome.from == "draft" && outcome.to == "approval" && outcome.version == 2)
            let now = try await fixture.engine.instance(instance.id)
            #expect(now.state == "approval" && now.version == 2 && now.stateEntry == 2)
            let history = try await fixture.engine.history(of: instance.id)
            #expect(history.map(\.event) == ["start", "submit"])
            #expect(history[1].actorID == "alice" && history[1].payload == #"{"comment":"ready"}"#)
        }
    }

    @Test("a rejected event changes nothing and says why")
    func rejected() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review())
            let instance = try await fixture.engine.start(workflow: "review")
            let wrongRole = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .approver("bob")))
            #expect(wrongRole.status == .rejected)
            #expect(wrongRole.rejectionCode == "role-missing")
            let unknown = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "approve", actor: .approver("bob")))
            #expect(unknown.rejectionCode == "event-not-allowed")
            let now = try await fixture.engine.instance(instance.id)
            #expect(now.state == "draft" && now.version == 1)
            #expect(try await fixture.engine.history(of: instance.id).count == 1)
        }
    }

    @Test("an unknown instance is not found")
    func unknownInstance() async throws {
        try await EngineFixture.with { fixture in
            do {
                _ = try await fixture.engine.fire(FireRequest(instanceID: UUID(), event: "submit", actor: .author()))
                Issue.record("fired into an instance that does not exist")
            } catch let error as EngineError {
                #expect(error.code == .notFound)
            }
        }
    }

    @Test("an event fired again with its idempotency key returns the first outcome and has no second effect")
    func idempotent() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review())
            let instance = try await fixture.engine.start(workflow: "review")
            let request = FireRequest(instanceID: instance.id, event: "submit", actor: .author(), idempotencyKey: "form-17")
            let first = try await fixture.engine.fire(request)
            let second = try await fixture.engine.fire(request)
            #expect(first.status == .applied && !first.replayed)
            #expect(second.replayed)
            #expect(second.status == first.status && second.version == first.version && second.to == first.to)
            #expect(try await fixture.engine.history(of: instance.id).count == 2)
            #expect(try await fixture.engine.instance(instance.id).version == 2)
            // The same key for another event is a conflict, not a silent replay.
            await #expect(throws: EngineError.self) {
                _ = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "approve", actor: .approver("bob"), idempotencyKey: "form-17"))
            }
        }
    }

    @Test("concurrent deliveries of one key apply once")
    func idempotentUnderRace() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review())
            let instance = try await fixture.engine.start(workflow: "review")
            let engine = fixture.engine
            let outcomes = try await withThrowingTaskGroup(of: FireOutcome.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author(), idempotencyKey: "once"))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { !$0.replayed }.count == 1)
            #expect(outcomes.allSatisfy { $0.status == .applied && $0.version == 2 })
            #expect(try await fixture.engine.history(of: instance.id).count == 2)
        }
    }

    @Test("two different events racing: one applies first, the other is decided against the new state")
    func racingEvents() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review())
            let instance = try await fixture.engine.start(workflow: "review")
            let engine = fixture.engine
            async let submit = engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author()))
            async let expire = engine.fire(FireRequest(instanceID: instance.id, event: "draft-expired", actor: .system("timer")))
            let outcomes = try await [submit, expire]
            #expect(outcomes.filter { $0.status == .applied }.count == 1)
            let loser = try #require(outcomes.first { $0.status == .rejected })
            let winner = try #require(outcomes.first { $0.status == .applied })
            #expect(loser.from == winner.to)
            let now = try await fixture.engine.instance(instance.id)
            #expect(now.version == 2 && now.state == winner.to)
        }
    }

    @Test("a malformed context is refused before anything is stored")
    func badContext() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review())
            do {
                try await fixture.engine.start(workflow: "review", context: ["amounts": .object(["grant": .object(["minor_units": .number(12.5), "currency": .string("USD")])])])
                Issue.record("a fractional amount was accepted")
            } catch let error as EngineError {
                #expect(error.code == .invalidInput)
            }
            #expect(try await fixture.count("engine_instances") == 0)
        }
    }
}
