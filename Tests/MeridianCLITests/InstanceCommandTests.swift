import Foundation
import MeridianDomainTestSupport
import MeridianIdentity
import MeridianTestSupport
import PostgresNIO
import Testing

/// `meridian instance start|fire` act as the token's user, and without a valid one do nothing.
@Suite("Instance commands as the token's user")
struct InstanceCommandTests {
    private static let grant = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Workflows/grant.xml").path

    private func meridian(_ arguments: [String], _ database: TestDatabase, token: String? = nil) async throws -> MeridianBinary.Output {
        try await MeridianBinary.run(arguments + ["--database-url", database.url], environment: token.map { ["MERIDIAN_TOKEN": $0] } ?? [:])
    }

    /// The instance's version, as `instance show --json` reports it.
    private func version(_ id: String, _ database: TestDatabase) async throws -> Int {
        let show = try await meridian(["instance", "show", id, "--json"], database)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(show.standardOutput.utf8)) as? [String: Any])
        return try #require(object["version"] as? Int, "\(show.standardOutput)")
    }

    @Test("missing, revoked and wrong-role tokens exit 77 and change nothing; the right one fires as its user")
    func fireNeedsAToken() async throws {
        try await withIdentity { store, database in
            #expect(try await meridian(["workflow", "deploy", Self.grant], database).status == 0)
            _ = try await store.addUser(handle: "pat", name: "Pat", roles: [.programManager], country: nil)
            _ = try await store.addUser(handle: "ana", name: "Ana", roles: [.fundApprover], country: nil)
            let pat = try await store.createToken(for: "pat", label: nil, expiresAt: nil)
            let ana = try await store.createToken(for: "ana", label: nil, expiresAt: nil)

            let anonymousStart = try await meridian(["instance", "start", "grant"], database)
            #expect(anonymousStart.status == 77)
            #expect(try await scalar(store, "SELECT count(*)::int8 FROM engine_instances") == 0)

            let context = #"{"funds-available": true, "amounts": {"grant": {"minor_units": 1000000, "currency": "USD"}}}"#
            let start = try await meridian(["instance", "start", "grant", "--context", context], database, token: pat.secret)
            #expect(start.status == 0, "\(start.standardError)")
            let id = try #require(start.standardOutput.split(separator: " ").first.map(String.init))
            #expect(try await version(id, database) == 1)

            let missing = try await meridian(["instance", "fire", id, "submit-for-approval"], database)
            #expect(missing.status == 77 && missing.standardError.hasPrefix("meridian: error: no token"))
            let wrongRole = try await meridian(["instance", "fire", id, "submit-for-approval"], database, token: ana.secret)
            #expect(wrongRole.status == 77 && wrongRole.standardError.contains("role-missing"), "\(wrongRole.standardError)")
            try await store.revokeToken(pat.info.id)
            let revoked = try await meridian(["instance", "fire", id, "submit-for-approval"], database, token: pat.secret)
            #expect(revoked.status == 77 && revoked.standardError.contains("the token was revoked"))
            #expect(try await version(id, database) == 1, "none of the refused attempts changed the instance")
            #expect(try await scalar(store, "SELECT count(*)::int8 FROM engine_history") == 1)

            let fresh = try await store.createToken(for: "pat", label: nil, expiresAt: nil)
            let fired = try await meridian(["instance", "fire", id, "submit-for-approval", "--json"], database, token: fresh.secret)
            #expect(fired.status == 0, "\(fired.standardError)")
            #expect(try await version(id, database) == 2)
            let history = try await meridian(["instance", "history", id], database)
            #expect(history.standardOutput.contains("pat"), "\(history.standardOutput)")
        }
    }
}
