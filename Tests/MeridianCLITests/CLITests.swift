import Foundation
import Glibc
import MeridianDomainTestSupport
import MeridianEngine
import MeridianPostgres
import MeridianTestSupport
import Testing

/// The `meridian` binary against a fresh database, as an operator uses it.
@Suite("The instance, workflow and audit commands")
struct CLITests {
    private static let grant = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Workflows/grant.xml").path

    private func meridian(_ arguments: [String], _ database: TestDatabase, token: String? = nil) async throws -> MeridianBinary.Output {
        try await MeridianBinary.run(arguments + ["--database-url", database.url], environment: token.map { ["MERIDIAN_TOKEN": $0] } ?? [:])
    }

    /// Tokens of pat (program-manager) and ana (fund-approver), made through the binary: the
    /// first admin by the bootstrap, the others by her.
    private func people(_ database: TestDatabase) async throws -> (pat: String, ana: String) {
        let admin = try await meridian(["user", "add", "ada", "--name", "Ada Admin", "--role", "admin"], database)
        let adminToken = try #require(admin.standardOutput.split(separator: "\n").last.map(String.init), "\(admin.standardError)")
        // Approving a grant commits money: the fund it comes from (the only USD fund) must hold it.
        let fund = try await meridian(["fund", "create", "rapid", "--name", "Rapid Response Fund", "--currency", "USD"], database, token: adminToken)
        #expect(fund.status == 0, "\(fund.standardError)")
        let contribution = try await meridian(["fund", "contribute", "rapid", "--donor", "Donor A", "--amount", "100,000.00 USD",
                                               "--reference", "AGR-1"], database, token: adminToken)
        #expect(contribution.status == 0, "\(contribution.standardError)")
        var tokens: [String] = []
        for (handle, role) in [("pat", "program-manager"), ("ana", "fund-approver")] {
            let added = try await meridian(["user", "add", handle, "--name", handle.capitalized, "--role", role], database, token: adminToken)
            #expect(added.status == 0, "\(added.standardError)")
            let created = try await meridian(["token", "create", "--user", handle], database, token: adminToken)
            #expect(created.status == 0, "\(created.standardError)")
            tokens.append(try #require(created.standardOutput.split(separator: "\n").last.map(String.init)))
        }
        return (tokens[0], tokens[1])
    }

    @Test("deploy, start, fire, show, history, list, audit: a grant from request to approval")
    func happyPath() async throws {
        try await EngineFixture.with { fixture in
            let database = fixture.database
            let deploy = try await meridian(["workflow", "deploy", Self.grant], database)
            #expect(deploy.status == 0, "\(deploy.standardError)")
            #expect(deploy.standardOutput.hasPrefix("deployed: grant@2 sha256:"))
            let again = try await meridian(["workflow", "deploy", Self.grant], database)
            #expect(again.standardOutput.hasPrefix("unchanged: grant@2"))
            let list = try await meridian(["workflow", "list", "--json"], database)
            #expect(list.standardOutput.contains("\"workflow_id\" : \"grant\""))

            let (pat, ana) = try await people(database)
            let context = #"{"funds-available": true, "amounts": {"grant": {"minor_units": 1000000, "currency": "USD"}}}"#
            let start = try await meridian(["instance", "start", "grant", "--context", context], database, token: pat)
            #expect(start.status == 0, "\(start.standardError)")
            let id = try #require(start.standardOutput.split(separator: " ").first.map(String.init))

            let submit = try await meridian(["instance", "fire", id, "submit-for-approval"], database, token: pat)
            #expect(submit.status == 0, "\(submit.standardError)")
            #expect(submit.standardOutput.contains("requested → approval"))
            let approve = try await meridian(["instance", "fire", id, "approve", "--key", "k1"], database, token: ana)
            #expect(approve.status == 0, "\(approve.standardError)")
            let replay = try await meridian(["instance", "fire", id, "approve", "--key", "k1"], database, token: ana)
            #expect(replay.status == 0 && replay.standardOutput.contains("already applied with this key"))

            let show = try await meridian(["instance", "show", id, "--json"], database)
            #expect(show.standardOutput.contains("\"state\" : \"committed\""))
            #expect(show.standardOutput.contains("\"version\" : 3"))
            let history = try await meridian(["instance", "history", id], database)
            #expect(history.standardOutput.contains("approve (grant:approve)"))
            let recorded = try await fixture.engine.history(of: try #require(UUID(uuidString: id)))
            #expect(recorded.map(\.actorID) == ["pat", "pat", "ana"], "the history records the tokens' users")
            let listed = try await meridian(["instance", "list", "--workflow", "grant", "--state", "committed", "--json"], database)
            #expect(listed.standardOutput.lowercased().contains(id))
            let audit = try await meridian(["audit", "verify"], database)
            #expect(audit.status == 0 && audit.standardOutput.hasPrefix("OK: 1 instance(s), 3 history entries"))
        }
    }

    @Test("errors are one line with the documented exit status")
    func exitStatuses() async throws {
        try await EngineFixture.with { fixture in
            let database = fixture.database
            _ = try await meridian(["workflow", "deploy", Self.grant], database)
            let (pat, ana) = try await people(database)
            let start = try await meridian(["instance", "start", "grant"], database, token: pat)
            let id = try #require(start.standardOutput.split(separator: " ").first.map(String.init))

            let unknown = try await meridian(["instance", "show", UUID().uuidString], database)
            #expect(unknown.status == 66)
            #expect(unknown.standardError.hasPrefix("meridian: error: no instance has the id"))
            #expect(unknown.standardError.split(separator: "\n").count == 1)

            let rejected = try await meridian(["instance", "fire", id, "approve"], database, token: ana)
            #expect(rejected.status == 1)
            #expect(rejected.standardError.contains("event-not-allowed"))

            let wrongRole = try await meridian(["instance", "fire", id, "submit-for-approval"], database, token: ana)
            #expect(wrongRole.status == 77 && wrongRole.standardError.contains("role-missing"), "\(wrongRole.standardError)")

            let noToken = try await meridian(["instance", "fire", id, "submit-for-approval"], database)
            #expect(noToken.status == 77 && noToken.standardError.hasPrefix("meridian: error: no token"))

            let badJSON = try await meridian(["instance", "fire", id, "withdraw", "--data", "{nope"], database, token: pat)
            #expect(badJSON.status == 65 && badJSON.standardError.hasPrefix("meridian: error: --data is not valid JSON"))

            let noWorkflow = try await meridian(["instance", "start", "no-such-workflow"], database, token: pat)
            #expect(noWorkflow.status == 66)

            let noIncident = try await meridian(["instance", "retry", id], database)
            #expect(noIncident.status == 66)

            let conflict = try await meridian(["workflow", "deploy", try changedGrant()], database)
            #expect(conflict.status == 75 && conflict.standardError.contains("already deployed with other content"))
        }
    }

    @Test("audit verify prints the first broken link and exits 1")
    func auditBroken() async throws {
        try await EngineFixture.with { fixture in
            let database = fixture.database
            _ = try await meridian(["workflow", "deploy", Self.grant], database)
            let (pat, _) = try await people(database)
            let start = try await meridian(["instance", "start", "grant"], database, token: pat)
            let id = try #require(start.standardOutput.split(separator: " ").first.map(String.init))
            try await fixture.tamper("UPDATE engine_history SET detail = 'forged' WHERE seq = 1")
            let audit = try await meridian(["audit", "verify", "--instance", id], database)
            #expect(audit.status == 1)
            #expect(audit.standardOutput.hasPrefix("BROKEN: instance \(id) entry 1"))
        }
    }

    @Test("meridian worker fires the engine's due timers")
    func workerFiresTimers() async throws {
        // The engine's clock is four days behind: the draft's P3D timer is due at once.
        try await EngineFixture.with(clock: ManualClock(Date().addingTimeInterval(-4 * 86_400))) { fixture in
            try await fixture.deploy(Definitions.review())
            let instance = try await fixture.engine.start(workflow: "review")
            let worker = try MeridianBinary.start(["worker", "--queue", "engine=4", "--poll-ms", "50", "--database-url", fixture.database.url],
                                                  captureOutput: true)
            var state = "draft"
            for _ in 0..<1_200 where state == "draft" {
                try await Task.sleep(for: .milliseconds(25))
                state = try await fixture.engine.instance(instance.id).state
            }
            worker.send(SIGTERM)
            let termination = await MeridianBinary.wait(for: worker)
            #expect(state == "expired", "\(termination.errorOutput)")
            #expect(termination.status == 0)
            #expect(try await fixture.engine.history(of: instance.id).last?.actorID == "timer")
        }
    }

    /// grant.xml with a different description but the same id and version.
    private func changedGrant() throws -> String {
        let text = try String(contentsOfFile: Self.grant, encoding: .utf8)
            .replacingOccurrences(of: "from its request to its payment", with: "from request to payment")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grant-\(UUID().uuidString).xml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
