import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianEngine
import MeridianPostgres
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("Migrating running instances")
struct MigrationTests {
    @Test("every instance is checked before any changes; unmapped states block the whole migration")
    func blockedThenMapped() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review(version: 1, quorum: 1))
            let drafting = try await fixture.engine.start(workflow: "review")
            let checking = try await fixture.engine.start(workflow: "review")
            _ = try await fixture.engine.fire(FireRequest(instanceID: checking.id, event: "submit", actor: .author()))
            _ = try await fixture.engine.fire(FireRequest(instanceID: checking.id, event: "approve", actor: .approver("bob")))
            // Version 2 renames checking to verifying.
            let v2 = Definitions.review(version: 2, quorum: 1).replacingOccurrences(of: "\"checking\"", with: "\"verifying\"")
            try await fixture.deploy(v2)

            let blocked = try await fixture.engine.migrate(workflow: "review", from: 1, to: 2)
            #expect(!blocked.applied && blocked.blocked == 1)
            #expect(blocked.entries.first { $0.instanceID == checking.id }?.status == .blocked)
            #expect(try await fixture.engine.instance(drafting.id).workflowVersion == 1)

            let dryRun = try await fixture.engine.migrate(workflow: "review", from: 1, to: 2, map: ["checking": "verifying"], dryRun: true)
            #expect(!dryRun.applied && dryRun.blocked == 0)
            #expect(try await fixture.engine.instance(checking.id).workflowVersion == 1)

            let done = try await fixture.engine.migrate(workflow: "review", from: 1, to: 2, map: ["checking": "verifying"])
            #expect(done.applied)
            let moved = try await fixture.engine.instance(checking.id)
            #expect(moved.workflowVersion == 2 && moved.state == "verifying")
            #expect(try await fixture.engine.instance(drafting.id).workflowVersion == 2)
            #expect(try await fixture.engine.history(of: checking.id).last?.event == "migrate")
            #expect(try await fixture.engine.verifyHistory().isIntact)
            let next = try await fixture.engine.fire(FireRequest(instanceID: checking.id, event: "checked", actor: .system("task:check")))
            #expect(next.to == "done")
        }
    }
}
