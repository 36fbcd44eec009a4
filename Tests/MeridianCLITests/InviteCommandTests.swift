import Foundation
import MeridianDomainTestSupport
import MeridianIdentity
import MeridianPostgres
import MeridianTestSupport
import PostgresNIO
import Testing

/// `meridian user invite`: the link printed once, only its hash stored, admins only.
@Suite("meridian user invite")
struct InviteCommandTests {
    @Test("prints a one-time link on the base address; the database keeps its hash and expiry")
    func printsTheLink() async throws {
        try await withIdentity { store, database in
            let bootstrap = try await MeridianBinary.run(["user", "add", "ada", "--name", "Ada Admin", "--role", "admin", "--database-url", database.url])
            let admin = String(bootstrap.standardOutput.split(separator: "\n").last ?? "")
            _ = try await store.addUser(handle: "amani", name: "Amani", roles: [.official], country: "COD")
            let output = try await MeridianBinary.run(["user", "invite", "--user", "amani", "--expires-in", "2h", "--base-url", "https://meridian.example.org/",
                                                       "--database-url", database.url], environment: ["MERIDIAN_TOKEN": admin])
            #expect(output.status == 0, "\(output.standardError)")
            let link = String(output.standardOutput.split(separator: "\n").last ?? "")
            #expect(link.hasPrefix("https://meridian.example.org/sign-in/invite/"), "\(output.standardOutput)")
            let secret = String(link.split(separator: "/").last ?? "")
            #expect(secret.count == 52)
            let rows = try await store.client.query("""
                SELECT secret_hash, created_by, used_at IS NULL, expires_at - created_at BETWEEN interval '119 minutes' AND interval '121 minutes'
                FROM user_invites
                """, logger: store.logger).collect()
            #expect(rows.count == 1)
            let (hash, by, unused, twoHours) = try rows[0].decode((String, String, Bool, Bool).self)
            #expect(hash.count == 64 && !hash.contains(secret) && by == "ada" && unused && twoHours)
            #expect(try await store.inviteIsUsable(secret: secret))

            let json = try await MeridianBinary.run(["user", "invite", "--user", "amani", "--json", "--database-url", database.url],
                                                    environment: ["MERIDIAN_TOKEN": admin, "MERIDIAN_PUBLIC_URL": "http://10.0.0.5:8080"])
            #expect(json.status == 0, "\(json.standardError)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
            #expect((object["link"] as? String)?.hasPrefix("http://10.0.0.5:8080/sign-in/invite/") == true, "\(json.standardOutput)")
            #expect(object["user"] as? String == "amani" && object["expires_at"] is String)
        }
    }
}
