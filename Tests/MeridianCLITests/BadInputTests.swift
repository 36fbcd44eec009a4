import Foundation
import MeridianPostgres
import MeridianTestSupport
import Testing

/// The bad-input suite (issue 16): well over 150 bad inputs across the commands, each run as
/// a person would run it. Each must exit with its documented status, print exactly one line,
/// `meridian: error: …` (no SQL text, no stack trace, no password), and leave every table as
/// it was (``TableFingerprint``).
@Suite("bad inputs: one line, the documented status, nothing changed")
struct BadInputTests {
    /// Users and their tokens, an exchange filed by amani (COD), a USD fund with money.
    struct World {
        let database: TestDatabase
        var tokens: [String: String] = [:]
        var exchange = ""

        func run(_ arguments: [String], as user: String?, environment: [String: String] = [:], ownURL: Bool = false) async throws -> MeridianBinary.Output {
            var environment = environment
            if let user, environment["MERIDIAN_TOKEN"] == nil { environment["MERIDIAN_TOKEN"] = tokens[user] }
            return try await MeridianBinary.run(arguments + (ownURL ? [] : ["--database-url", database.url]), environment: environment)
        }

        @discardableResult
        func ok(_ arguments: [String], as user: String?) async throws -> String {
            let output = try await run(arguments, as: user)
            #expect(output.status == 0, "\(arguments.joined(separator: " ")): \(output.standardError)")
            return output.standardOutput
        }

        static func make(_ database: TestDatabase) async throws -> World {
            var world = World(database: database)
            let workflow = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Workflows/knowledge-exchange.xml").path
            try await world.ok(["workflow", "deploy", workflow], as: nil)
            world.tokens["ada"] = lastLine(try await world.ok(["user", "add", "ada", "--name", "Ada", "--role", "admin"], as: nil))
            try await world.ok(["kb", "seed"], as: "ada")
            for (handle, role, country) in [("amani", "official", "COD"), ("claire", "official", "RWA"), ("pm", "program-manager", nil),
                                            ("fay", "fund-approver", nil), ("finn", "finance-officer", nil)] as [(String, String, String?)] {
                try await world.ok(["user", "add", handle, "--name", handle, "--role", role] + (country.map { ["--country", $0] } ?? []), as: "ada")
                world.tokens[handle] = lastLine(try await world.ok(["token", "create", "--user", handle], as: "ada"))
            }
            try await world.ok(["fund", "create", "rapid", "--name", "Rapid Response Fund", "--currency", "USD", "--iban", "DE89 3704 0044 0532 0130 00"], as: "ada")
            try await world.ok(["fund", "contribute", "rapid", "--donor", "Donor A", "--amount", "100,000.00 USD", "--reference", "AGR-1"], as: "ada")
            let filed = try await world.ok(["exchange", "request", "--country", "COD", "--country-name", "Congo", "--region", "sub-saharan-africa",
                                            "--income-group", "low", "--goal", "Lasting peace in the eastern provinces after the war",
                                            "--challenge", "The commission cannot reintegrate demobilised ex-combatants",
                                            "--objective", "A community-based reintegration programme for former fighters",
                                            "--sector", "demobilisation-reintegration", "--instrument", "study-visit",
                                            "--indicator", "Former fighters with a livelihood|%|12|40", "--key", "first"], as: "amani")
            world.exchange = try #require(filed.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
            return world
        }

        static func lastLine(_ text: String) -> String { text.split(separator: "\n").last.map(String.init) ?? "" }
    }

    /// What no error line may hold: SQL, PostgreSQL's own wording, a Swift trace, a secret.
    static let forbidden = ["S3cretPW", "SELECT ", "INSERT ", "UPDATE ", "duplicate key", "violates", "sqlstate", "PSQLError",
                            "invalid byte sequence", "bigint out of range", "Fatal error", "Stack dump", "0x0000", "\u{1B}", "\u{07}", "\u{202E}"]

    @Test("at least 150 bad inputs: each its documented status, one `meridian: error:` line, every table unchanged")
    func badInputs() async throws {
        try await TestDatabase.withFresh { database in
            let world = try await World.make(database)
            let files = try BadInputFiles()
            defer { try? FileManager.default.removeItem(at: files.folder) }
            let cases = try BadInput.all(exchange: world.exchange, files: files)
            #expect(cases.count >= 150, "only \(cases.count) bad inputs")
            let before = try await TableFingerprint.take(database)
            var previous = before
            for input in cases {
                let output = try await world.run(input.arguments, as: input.user, environment: input.environment, ownURL: input.ownURL)
                let lines = output.standardError.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                #expect(output.status == input.status, "\(input): exit \(output.status), not \(input.status): \(output.standardError)")
                #expect(lines.count == 1 && lines.first?.hasPrefix("meridian: error: ") == true && output.standardError.hasSuffix("\n"),
                        "\(input): standard error is not one `meridian: error:` line: \(output.standardError.debugDescription)")
                for word in Self.forbidden where output.standardError.contains(word) || output.standardOutput.contains(word) {
                    #expect(Bool(false), "\(input): printed \(word.debugDescription): \(output.standardError)")
                }
                let after = try await TableFingerprint.take(database)
                #expect(after.changes(since: previous) == [], "\(input) changed tables")
                previous = after
            }
            #expect(previous.changes(since: before) == [])
        }
    }

    @Test("usage errors print one line with where to read the help, as the three the issue names")
    func usageLines() async throws {
        for arguments in [["token", "revoke", "abc"], ["kb", "show", "abc"]] {
            let output = try await MeridianBinary.run(arguments)
            #expect(output.status == 64)
            #expect(output.standardError.split(separator: "\n").count == 1, "\(output.standardError)")
            #expect(output.standardError.hasPrefix("meridian: error: ") && output.standardError.contains("--help"), "\(output.standardError)")
        }
        // A negative amount is the option's value, refused by the amount's own rule (no sign).
        let negative = try await MeridianBinary.run(["fund", "contribute", "rapid", "--donor", "A", "--amount", "-5 USD", "--reference", "R",
                                                     "--database-url", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"])
        #expect(!negative.standardError.contains("Missing value"), "\(negative.standardError)")
        #expect(negative.standardError.split(separator: "\n").count == 1, "\(negative.standardError)")
    }
}
