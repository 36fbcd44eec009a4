import Foundation
import Glibc
import MeridianDomainTestSupport
import MeridianIdentity
import MeridianPostgres
import MeridianTestSupport
import Testing

/// `meridian user|token|login|logout|whoami` run as a user would, against a database of its own.
@Suite("The identity commands")
struct IdentityCommandTests {
    private func meridian(_ arguments: [String], _ database: TestDatabase, token: String? = nil,
                          environment: [String: String] = [:]) async throws -> MeridianBinary.Output {
        var environment = environment
        if let token { environment["MERIDIAN_TOKEN"] = token }
        return try await MeridianBinary.run(arguments + ["--database-url", database.url], environment: environment)
    }

    /// The secret a command printed alone on its last line.
    private func lastLine(_ output: MeridianBinary.Output) -> String {
        output.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
    }

    private func json(_ output: MeridianBinary.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any], "\(output.standardOutput)")
    }

    @Test("the bootstrap admin, then users and tokens managed with her token; --json parses")
    func bootstrapAndManage() async throws {
        try await withIdentity { store, database in
            let anonymousList = try await meridian(["user", "list"], database)
            #expect(anonymousList.status == 77 && anonymousList.standardError.hasPrefix("meridian: error: no token: set MERIDIAN_TOKEN"))
            let notAdmin = try await meridian(["user", "add", "bob", "--name", "Bob", "--role", "supervisor"], database)
            #expect(notAdmin.status == 77 && notAdmin.standardError.contains("must be an admin"), "\(notAdmin.standardError)")
            #expect(try await store.users().isEmpty)

            let bootstrap = try await meridian(["user", "add", "ada", "--name", "Ada Admin", "--role", "admin"], database)
            #expect(bootstrap.status == 0, "\(bootstrap.standardError)")
            #expect(bootstrap.standardError.hasPrefix("note: no enabled admin existed, so 'ada' was added without a token"))
            let ada = lastLine(bootstrap)
            #expect(try await store.authenticate(token: ada).handle == "ada")
            let second = try await meridian(["user", "add", "eve", "--name", "Eve", "--role", "admin"], database)
            #expect(second.status == 77 && second.standardError == "meridian: error: adding a user needs a token; set MERIDIAN_TOKEN or run `meridian login` (an admin's token to manage users)\n")

            let lucia = try await meridian(["user", "add", "lucia", "--name", "Lucía Pérez", "--role", "fund-approver",
                                            "--role", "program-manager", "--json"], database, token: ada)
            #expect(lucia.status == 0, "\(lucia.standardError)")
            let added = try json(lucia)
            #expect(added["bootstrap"] as? Bool == false)
            #expect((added["user"] as? [String: Any])?["roles"] as? [String] == ["program-manager", "fund-approver"])
            let official = try await meridian(["user", "add", "amani", "--name", "Amani", "--role", "official", "--country", "COD"], database, token: ada)
            #expect(official.status == 0 && official.standardOutput == "added amani (Amani; official; COD)\n")

            let noCountry = try await meridian(["user", "add", "x", "--name", "X", "--role", "official"], database, token: ada)
            #expect(noCountry.status == 65 && noCountry.standardError.contains("an official needs a country"))
            let badRole = try await meridian(["user", "add", "x", "--name", "X", "--role", "boss"], database, token: ada)
            #expect(badRole.status == 65 && badRole.standardError.contains("the roles are official, program-manager"))
            let badHandle = try await meridian(["user", "add", "X Y", "--name", "X", "--role", "admin"], database, token: ada)
            #expect(badHandle.status == 65)
            let duplicate = try await meridian(["user", "add", "lucia", "--name", "L", "--role", "admin"], database, token: ada)
            #expect(duplicate.status == 75 && duplicate.standardError.contains("the handle 'lucia' is taken"))

            let list = try await meridian(["user", "list", "--json"], database, token: ada)
            let users = try #require(try json(list)["users"] as? [[String: Any]])
            #expect(users.compactMap { $0["handle"] as? String } == ["ada", "amani", "lucia"])
            #expect(try await meridian(["user", "list"], database, token: ada).standardOutput.hasPrefix("HANDLE"))

            let created = try await meridian(["token", "create", "--user", "lucia", "--label", "laptop", "--expires-in-days", "7"], database, token: ada)
            #expect(created.status == 0, "\(created.standardError)")
            let luciasToken = lastLine(created)
            #expect(luciasToken.hasPrefix("mrd_") && luciasToken.count == 56)
            let whoami = try await meridian(["whoami"], database, token: luciasToken)
            #expect(whoami.standardOutput == "lucia (Lucía Pérez; program-manager, fund-approver)\n")
            let ownJSON = try await meridian(["token", "create", "--json"], database, token: luciasToken)
            #expect((try json(ownJSON)["info"] as? [String: Any])?["handle"] as? String == "lucia")

            let tokens = try #require(try json(try await meridian(["token", "list", "--json"], database, token: luciasToken))["tokens"] as? [[String: Any]])
            #expect(tokens.count == 2 && tokens.allSatisfy { $0["handle"] as? String == "lucia" } && tokens.allSatisfy { $0["secret"] == nil })
            let all = try #require(try json(try await meridian(["token", "list", "--json"], database, token: ada))["tokens"] as? [[String: Any]])
            #expect(all.count == 3)
            let laptopID = try #require(tokens.first { $0["label"] as? String == "laptop" }?["id"] as? Int)

            let revoke = try await meridian(["token", "revoke", String(laptopID)], database, token: luciasToken)
            #expect(revoke.status == 0 && revoke.standardOutput.hasPrefix("revoked token \(laptopID) of lucia"))
            let revoked = try await meridian(["whoami"], database, token: luciasToken)
            #expect(revoked.status == 77 && revoked.standardError.hasPrefix("meridian: error: the token in MERIDIAN_TOKEN was refused: the token was revoked at"))

            let lastAdmin = try await meridian(["user", "disable", "ada"], database, token: ada)
            #expect(lastAdmin.status == 75 && lastAdmin.standardError.contains("last enabled admin"))
            #expect(try await meridian(["user", "disable", "nobody"], database, token: ada).status == 66)
            let disable = try await meridian(["user", "disable", "amani", "--json"], database, token: ada)
            #expect(disable.status == 0)
            #expect(try json(disable)["disabled"] as? Bool == true)
        }
    }

    @Test("a user without the admin role is refused (77) and nothing changes")
    func wrongRole() async throws {
        try await withIdentity { store, database in
            _ = try await store.addUser(handle: "ada", name: "Ada", roles: [.admin], country: nil)
            _ = try await store.addUser(handle: "pat", name: "Pat", roles: [.programManager], country: nil)
            let pat = try await store.createToken(for: "pat", label: nil, expiresAt: nil).secret
            let adasToken = try await store.createToken(for: "ada", label: nil, expiresAt: nil)
            for arguments in [
                ["user", "add", "mal", "--name", "Mal", "--role", "admin"],
                ["user", "disable", "ada"],
                ["user", "list"],
                ["token", "create", "--user", "ada"],
                ["token", "list", "--user", "ada"],
            ] {
                let output = try await meridian(arguments, database, token: pat)
                #expect(output.status == 77, "\(arguments): \(output.standardError)")
                #expect(output.standardError.contains("needs the admin role"), "\(arguments): \(output.standardError)")
            }
            let revokeOther = try await meridian(["token", "revoke", String(adasToken.info.id)], database, token: pat)
            #expect(revokeOther.status == 66)
            #expect(try await store.users().map(\.handle) == ["ada", "pat"])
            #expect(try await store.users().allSatisfy { !$0.disabled })
            #expect(try await store.tokens(for: nil).count == 2)
            #expect(try await store.authenticate(token: adasToken.secret).handle == "ada")
        }
    }

    @Test("login checks and saves the token with mode 0600, whoami uses it, logout forgets it")
    func loginLogout() async throws {
        try await withIdentity { store, database in
            _ = try await store.addUser(handle: "ana", name: "Ana", roles: [.fundApprover], country: nil)
            let token = try await store.createToken(for: "ana", label: nil, expiresAt: nil).secret
            let config = FileManager.default.temporaryDirectory.appendingPathComponent("meridian-login-\(UUID().uuidString)").path
            let environment = ["XDG_CONFIG_HOME": config]
            let saved = config + "/meridian/token"

            let refused = try await meridian(["login", "--token", "mrd_" + String(repeating: "a", count: 52)], database, environment: environment)
            #expect(refused.status == 77 && refused.standardError.contains("nothing was saved"))
            #expect(!FileManager.default.fileExists(atPath: saved))
            let empty = try await meridian(["login"], database, environment: environment)
            #expect(empty.status == 64 && empty.standardError.contains("no token on standard input"))

            // From standard input, as `meridian token create … | tail -n 1 | meridian login` would.
            let child = try ChildProcess.spawn("/bin/sh", ["-c", "printf '%s\\n' \"$T\" | \"$M\" login --database-url \"$U\""],
                                               environment: ProcessInfo.processInfo.environment.merging(
                                                   ["T": token, "M": MeridianBinary.path, "U": database.url, "XDG_CONFIG_HOME": config]) { _, new in new },
                                               captureOutput: true, separateErrorOutput: true)
            let login = await MeridianBinary.wait(for: child)
            #expect(login.status == 0, "\(login.errorOutput)")
            #expect(login.output == "logged in as ana (Ana; fund-approver); token saved to \(saved)\n")
            let attributes = try FileManager.default.attributesOfItem(atPath: saved)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(try String(contentsOfFile: saved, encoding: .utf8) == token + "\n")

            let whoami = try await meridian(["whoami", "--json"], database, environment: environment)
            #expect(whoami.status == 0)
            #expect(try json(whoami)["handle"] as? String == "ana")

            _ = try await store.addUser(handle: "pat", name: "Pat", roles: [.programManager], country: nil)
            let patsToken = try await store.createToken(for: "pat", label: nil, expiresAt: nil).secret
            let environmentWins = try await meridian(["whoami"], database, token: patsToken, environment: environment)
            #expect(environmentWins.standardOutput == "pat (Pat; program-manager)\n", "MERIDIAN_TOKEN wins over the saved token")

            chmod(saved, 0o644)
            let exposed = try await meridian(["whoami"], database, environment: environment)
            #expect(exposed.status == 77 && exposed.standardError.contains("can be read by others (mode 644)"), "\(exposed.standardError)")
            chmod(saved, 0o600)
            let logout = try await MeridianBinary.run(["logout"], environment: environment)
            #expect(logout.status == 0 && !FileManager.default.fileExists(atPath: saved))
            let after = try await meridian(["whoami"], database, environment: environment)
            #expect(after.status == 77 && after.standardError.hasPrefix("meridian: error: no token"))
        }
    }

    @Test("a disabled user's saved token is refused with 77")
    func disabledUsersToken() async throws {
        try await withIdentity { store, database in
            _ = try await store.addUser(handle: "ada", name: "Ada", roles: [.admin], country: nil)
            _ = try await store.addUser(handle: "ana", name: "Ana", roles: [.fundApprover], country: nil)
            let token = try await store.createToken(for: "ana", label: nil, expiresAt: nil).secret
            #expect(try await meridian(["whoami"], database, token: token).status == 0)
            _ = try await store.disable(handle: "ana")
            let refused = try await meridian(["whoami"], database, token: token)
            #expect(refused.status == 77 && refused.standardError.contains("the token's user 'ana' is disabled"))
        }
    }

    @Test("user enable and user roles: admins only, the change applies to the next action")
    func enableAndRoles() async throws {
        try await withIdentity { store, database in
            _ = try await store.addUser(handle: "ada", name: "Ada", roles: [.admin], country: nil)
            _ = try await store.addUser(handle: "ana", name: "Ana", roles: [.fundApprover], country: nil)
            let admin = try await store.createToken(for: "ada", label: nil, expiresAt: nil).secret
            let ana = try await store.createToken(for: "ana", label: nil, expiresAt: nil).secret
            _ = try await store.disable(handle: "ana")
            #expect(try await meridian(["whoami"], database, token: ana).status == 77)
            let byHerself = try await meridian(["user", "enable", "ana"], database, token: ana)
            #expect(byHerself.status == 77)
            let enabled = try await meridian(["user", "enable", "ana"], database, token: admin)
            #expect(enabled.status == 0 && enabled.standardOutput == "enabled ana (Ana; fund-approver)\n", "\(enabled.standardError)")
            #expect(try await meridian(["whoami"], database, token: ana).status == 0)

            let notAdmin = try await meridian(["user", "roles", "ana", "--role", "admin"], database, token: ana)
            let stillNoAdmin = try await store.user(handle: "ana")
            #expect(notAdmin.status == 77 && !stillNoAdmin.has(.admin))
            let badCountry = try await meridian(["user", "roles", "ana", "--role", "official"], database, token: admin)
            #expect(badCountry.status == 65 && badCountry.standardError.contains("an official needs a country"))
            let changed = try await meridian(["user", "roles", "ana", "--role", "official", "--country", "GHA", "--json"], database, token: admin)
            #expect(changed.status == 0, "\(changed.standardError)")
            let user = try json(changed)
            #expect(user["roles"] as? [String] == ["official"] && user["country"] as? String == "GHA")
            let lastAdmin = try await meridian(["user", "roles", "ada", "--role", "supervisor"], database, token: admin)
            #expect(lastAdmin.status == 75 && lastAdmin.standardError.contains("last enabled admin"))
            let unknown = try await meridian(["user", "enable", "nobody"], database, token: admin)
            #expect(unknown.status == 66)
        }
    }
}
