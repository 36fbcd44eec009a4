import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianEngine
import MeridianPostgres
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("Deploying definitions")
struct DeployTests {
    @Test("a deployed version is stored once; the same content again is unchanged")
    func deployTwice() async throws {
        try await EngineFixture.with { fixture in
            let first = try await fixture.deploy(Definitions.review())
            #expect(first.map(\.status) == [.deployed])
            let again = try await fixture.deploy(Definitions.review())
            #expect(again.map(\.status) == [.unchanged])
            let listed = try await fixture.engine.definitions()
            #expect(listed.map { "\($0.workflowID)@\($0.version)" } == ["review@1"])
            #expect(listed[0].sha256 == first[0].sha256)
        }
    }

    @Test("the same id and version with other content is refused, and nothing of the batch is deployed")
    func conflictingContent() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review(quorum: 9))
            await #expect(throws: EngineError.self) {
                try await fixture.deploy(Definitions.chain(), Definitions.review(quorum: 3))
            }
            do {
                try await fixture.deploy(Definitions.review(quorum: 3))
                Issue.record("other content was deployed under a deployed version")
            } catch let error as EngineError {
                #expect(error.code == .conflict)
                #expect(error.message.contains("already deployed with other content"))
            }
            #expect(try await fixture.engine.definitions().map(\.workflowID) == ["review"])
        }
    }

    @Test("an invalid definition is refused with its diagnostics")
    func invalidDefinition() async throws {
        try await EngineFixture.with { fixture in
            let broken = Definitions.review().replacingOccurrences(of: "target=\"checking\"", with: "target=\"nowhere\"")
            do {
                try await fixture.deploy(broken)
                Issue.record("an invalid definition was deployed")
            } catch let error as EngineError {
                #expect(error.code == .invalidDefinition)
                #expect(error.message.contains("nowhere"))
            }
            #expect(try await fixture.count("engine_definitions") == 0)
        }
    }

    @Test("the database refuses to change or delete a deployed version")
    func definitionsImmutable() async throws {
        try await EngineFixture.with { fixture in
            try await fixture.deploy(Definitions.review())
            let update = await ServerRefusal.of {
                try await fixture.client.query("UPDATE engine_definitions SET source = 'x'", logger: fixture.database.logger)
            }
            #expect(update == ServerRefusal(sqlState: "42501", message: "engine_definitions is append-only: UPDATE refused"))
            let delete = await ServerRefusal.of {
                try await fixture.client.query("DELETE FROM engine_definitions", logger: fixture.database.logger)
            }
            #expect(delete == ServerRefusal(sqlState: "42501", message: "engine_definitions is append-only: DELETE refused"))
            #expect(try await fixture.count("engine_definitions") == 1)
        }
    }
}
