import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianEngine
import MeridianPostgres
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("Tamper-evident history")
struct HistoryTests {
    private func instanceWithHistory(_ fixture: EngineFixture) async throws -> UUID {
        try await fixture.deploy(Definitions.review(quorum: 2))
        let instance = try await fixture.engine.start(workflow: "review")
        _ = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "submit", actor: .author()))
        _ = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "approve", actor: .approver("bob")))
        _ = try await fixture.engine.fire(FireRequest(instanceID: instance.id, event: "approve", actor: .approver("carol")))
        return instance.id
    }

    @Test("each entry hashes the previous hash and its content; the verifier finds the chain intact")
    func intactChain() async throws {
        try await EngineFixture.with { fixture in
            let id = try await instanceWithHistory(fixture)
            let history = try await fixture.engine.history(of: id)
            #expect(history.map(\.seq) == [1, 2, 3, 4])
            #expect(history[0].previousHash == HistoryChain.genesis)
            for (earlier, later) in zip(history, history.dropFirst()) {
                #expect(later.previousHash == earlier.hash)
            }
            let report = try await fixture.engine.verifyHistory()
            #expect(report.isIntact)
            #expect(report.instances == 1 && report.entries == 4)
        }
    }

    @Test("the database refuses UPDATE, DELETE and TRUNCATE on history")
    func appendOnly() async throws {
        try await EngineFixture.with { fixture in
            let id = try await instanceWithHistory(fixture)
            let logger = fixture.database.logger
            for statement in ["UPDATE engine_history SET actor_id = 'mallory'", "DELETE FROM engine_history WHERE seq = 4", "TRUNCATE engine_history CASCADE"] {
                do {
                    try await fixture.client.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    Issue.record("the database allowed: \(statement)")
                } catch let error as PSQLError {
                    #expect(error.serverInfo?[.message]?.contains("append-only") == true, "\(statement)")
                }
            }
            #expect(try await fixture.engine.history(of: id).count == 4)
        }
    }

    @Test("a tampered history row is found by the verifier, at the first broken link")
    func tamperedRow() async throws {
        try await EngineFixture.with { fixture in
            let id = try await instanceWithHistory(fixture)
            // A superuser can switch the triggers off; the chain still tells.
            try await withPostgresConnection(fixture.database.settings, logger: fixture.database.logger) { connection in
                try await connection.query("SET session_replication_role = replica", logger: fixture.database.logger)
                try await connection.query("UPDATE engine_history SET actor_id = 'mallory' WHERE instance_id = \(id) AND seq = 3", logger: fixture.database.logger)
            }
            let report = try await fixture.engine.verifyHistory(instance: id)
            let broken = try #require(report.firstBroken)
            #expect(broken.instanceID == id && broken.seq == 3)
            #expect(broken.reason.contains("content does not match"))
        }
    }

    @Test("a deleted tail entry is found: the instance no longer agrees with its history")
    func deletedTail() async throws {
        try await EngineFixture.with { fixture in
            let id = try await instanceWithHistory(fixture)
            try await withPostgresConnection(fixture.database.settings, logger: fixture.database.logger) { connection in
                try await connection.query("SET session_replication_role = replica", logger: fixture.database.logger)
                try await connection.query("DELETE FROM engine_history WHERE instance_id = \(id) AND seq = 4", logger: fixture.database.logger)
            }
            let report = try await fixture.engine.verifyHistory()
            let broken = try #require(report.firstBroken)
            #expect(broken.instanceID == id && broken.seq == nil)
        }
    }
}
