import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianEngine
import MeridianPostgres
import MeridianQueue
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Synchronization
import Testing

@Suite("Tasks and incidents")
struct TaskTests {
    @Test("a task's result fires its event and merges its context; the next state's task is enqueued in the same step")
    func taskResultFires() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.chain(steps: 3))
            var tasks = TaskHandlers()
            tasks.register("step") { input, _ in
                .fire("next", context: ["last": .string(input.currentState)])
            }
            let driver = JobDriver(fixture, tasks: tasks)
            let instance = try await fixture.engine.start(workflow: "chain")
            for expected in ["s2", "s3", "finished"] {
                let ran = try await driver.runDue()
                #expect(ran.count == 1 && ran.allSatisfy(\.succeeded))
                #expect(try await fixture.engine.instance(instance.id).state == expected)
            }
            let done = try await fixture.engine.instance(instance.id)
            #expect(done.isFinal && done.version == 4)
            #expect(done.context.contains(#""last":"s3""#))
            #expect(try await driver.runDue().isEmpty)
        }
    }

    @Test("a job delivered again after its result was applied has no second effect and its handler does not run again")
    func retriedJobOnce() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.chain(steps: 3))
            let runs = Mutex(0)
            var tasks = TaskHandlers()
            tasks.register("step") { _, _ in
                runs.withLock { $0 += 1 }
                return .fire("next")
            }
            let driver = JobDriver(fixture, tasks: tasks)
            let instance = try await fixture.engine.start(workflow: "chain")
            let ran = try await driver.runDue()
            let job = try #require(ran.first?.job)
            // Delivered again (the worker died before the queue heard it finished).
            try await driver.rerun(job)
            try await driver.rerun(job)
            // The job's key is found with the instance: the handler is not asked again.
            #expect(runs.withLock { $0 } == 1)
            let now = try await fixture.engine.instance(instance.id)
            #expect(now.state == "s2" && now.version == 2)
            #expect(try await fixture.engine.history(of: instance.id).filter { $0.idempotencyKey == "job:\(job.id.rawValue)" }.count == 1)
        }
    }

    @Test("when a task's attempts run out the instance shows an incident, which a retry clears")
    func incidentAndRetry() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review(quorum: 1))
            let healthy = Mutex(false)
            var tasks = TaskHandlers()
            tasks.register("check") { _, _ in
                guard healthy.withLock({ $0 }) else { throw CheckUnavailable() }
                return .fire("checked")
            }
            let driver = JobDriver(fixture, tasks: tasks)
            let instance = try await fixture.engine.start(workflow: "review")
            _ = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author()))
            _ = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "approve", actor: .approver("bob")))
            #expect(try await fixture.engine.instance(instance.id).state == "checking")
            // max-attempts="2": two failures and it is dead.
            #expect(try await driver.runDue().map(\.succeeded) == [false])
            #expect(try await fixture.engine.incidents().isEmpty)
            #expect(try await driver.runDue().map(\.succeeded) == [false])
            let incidents = try await fixture.engine.incidents()
            let incident = try #require(incidents.first)
            #expect(incidents.count == 1)
            #expect(incident.instanceID == instance.id && incident.state == "checking" && incident.task == "check")
            #expect(incident.attempts == 2 && incident.lastError.contains("bank registry unreachable"))
            #expect(try await fixture.engine.instance(instance.id).openIncidents == 1)
            #expect(try await driver.runDue().isEmpty)

            healthy.withLock { $0 = true }
            try await fixture.engine.retryIncidents(of: instance.id)
            #expect(try await fixture.engine.incidents().isEmpty)
            #expect(try await driver.runDue().map(\.succeeded) == [true])
            #expect(try await fixture.engine.instance(instance.id).state == "done")
        }
    }

    @Test("retrying an instance without incidents says so")
    func retryWithoutIncident() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review())
            let instance = try await fixture.engine.start(workflow: "review")
            do {
                try await fixture.engine.retryIncidents(of: instance.id)
                Issue.record("retried an instance without incidents")
            } catch let error as EngineError {
                #expect(error.code == .notFound)
            }
        }
    }
}

struct CheckUnavailable: Error, CustomStringConvertible {
    var description: String { "bank registry unreachable" }
}
