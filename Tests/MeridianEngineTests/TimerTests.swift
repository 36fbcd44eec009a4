import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianEngine
import MeridianPostgres
import MeridianQueue
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("Timers")
struct TimerTests {
    /// A clock four days behind the database's: a P3D timer set now is due already, a P5D one not yet.
    private static func clockFourDaysBack() -> ManualClock {
        ManualClock(Date().addingTimeInterval(-4 * 86_400))
    }

    @Test("a timer is scheduled at the engine clock's time plus its duration")
    func dueTime() async throws {
        try await EngineFixture.with(clock: Self.clockFourDaysBack()) { fixture in
            try await fixture.deploy(Definitions.review())
            let instance = try await fixture.engine.start(workflow: "review")
            let jobs = try await QueueStore(logger: fixture.database.logger).list(queue: "engine", on: fixture.client)
            let timer = try #require(jobs.first { $0.kind.rawValue == "workflow-timer" })
            let due = try #require(timer.runAt)
            #expect(abs(due.timeIntervalSince(instance.createdAt.addingTimeInterval(3 * 86_400))) < 0.001)
        }
    }

    @Test("a due timer fires its event while the instance is still in that stay")
    func dueTimerFires() async throws {
        try await EngineFixture.with(clock: Self.clockFourDaysBack()) { fixture in
            try await fixture.deploy(Definitions.review())
            let instance = try await fixture.engine.start(workflow: "review")
            let ran = try await JobDriver(fixture).runDue()
            #expect(ran.count == 1 && ran[0].succeeded)
            let now = try await fixture.engine.instance(instance.id)
            #expect(now.state == "expired")
            #expect(try await fixture.engine.history(of: instance.id).last?.actorID == "timer")
        }
    }

    @Test("a timer that is not due yet by the clock does not run")
    func notDueYet() async throws {
        try await EngineFixture.with(clock: ManualClock(Date())) { fixture in
            try await fixture.deploy(Definitions.review())
            let instance = try await fixture.engine.start(workflow: "review")
            #expect(try await JobDriver(fixture).runDue().isEmpty)
            #expect(try await fixture.engine.instance(instance.id).state == "draft")
        }
    }

    @Test("a stale timer — of a stay the instance has left — fires nothing")
    func staleTimer() async throws {
        try await EngineFixture.with(clock: Self.clockFourDaysBack()) { fixture in
            try await fixture.deploy(Definitions.review(quorum: 1))
            let instance = try await fixture.engine.start(workflow: "review")
            // Leave draft, come back to it: the first draft timer belongs to stay 1, the instance is in stay 3.
            fixture.clock.advance(by: 4 * 86_400)
            _ = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author()))
            _ = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "reject", actor: .approver("bob")))
            let before = try await fixture.engine.instance(instance.id)
            #expect(before.state == "draft" && before.stateEntry == 3)
            // The clock of the second and third stays is now: only the first stay's timer is due.
            let ran = try await JobDriver(fixture).runDue()
            #expect(ran.count == 1 && ran[0].succeeded)
            let after = try await fixture.engine.instance(instance.id)
            #expect(after.state == "draft" && after.version == before.version)
            #expect(try await fixture.engine.history(of: instance.id).count == Int(before.version))
        }
    }
}
