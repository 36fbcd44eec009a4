import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MeridianTestSupport
import Testing

/// The people's commands through `meridian serve` (MERIDIAN_SERVER, `--server`): the same lines,
/// `--json` and exit statuses as on the database, for an official filing and following an
/// exchange, a program manager deciding, a fund approver's vote, a finance officer's payments
/// and funds. The server runs as a child process with its workers over the test's database;
/// each view is run both ways and compared byte for byte.
@Suite("meridian against a server")
struct RemoteCLITests {
    enum Mode: String, Sendable { case local, remote }

    struct Session {
        let database: TestDatabase
        let server: ServeProcess
        var tokens: [String: String] = [:]

        func run(_ arguments: [String], as user: String?, _ mode: Mode, environment extra: [String: String] = [:]) async throws -> MeridianBinary.Output {
            var environment = extra
            if let user { environment["MERIDIAN_TOKEN"] = tokens[user] }
            switch mode {
            case .local:
                return try await MeridianBinary.run(arguments + ["--database-url", database.url], environment: environment)
            case .remote:
                environment["MERIDIAN_SERVER"] = server.url
                // A database no command can reach: through a server, none is opened.
                environment["MERIDIAN_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"
                return try await MeridianBinary.run(arguments, environment: environment)
            }
        }

        /// Runs `arguments` in `mode` and expects exit status 0; returns standard output.
        @discardableResult
        func ok(_ arguments: [String], as user: String?, _ mode: Mode, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> String {
            let output = try await run(arguments, as: user, mode)
            #expect(output.status == 0, "\(mode) \(arguments.joined(separator: " ")): \(output.standardError)", sourceLocation: sourceLocation)
            return output.standardOutput
        }

        /// Runs `arguments` on the database and through the server and expects the same exit
        /// status (`status`; `nil`: any failure), output and error line. Background tasks may still be writing (a
        /// notification), so differing outputs are read again for a while before they count.
        @discardableResult
        func same(_ arguments: [String], as user: String?, status: Int32? = 0,
                  sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> String {
            var attempt = 0
            while true {
                let local = try await run(arguments, as: user, .local)
                let remote = try await run(arguments, as: user, .remote)
                attempt += 1
                let agree = local.standardOutput == remote.standardOutput && local.standardError == remote.standardError
                if !agree, attempt < 20 {
                    try await Task.sleep(for: .milliseconds(500))
                    continue
                }
                let command = arguments.joined(separator: " ")
                #expect(status.map { local.status == $0 } ?? (local.status != 0), "local \(command): \(local.standardError)", sourceLocation: sourceLocation)
                #expect(remote.status == local.status, "remote \(command): \(remote.standardError)", sourceLocation: sourceLocation)
                #expect(remote.standardOutput == local.standardOutput, "\(command):\nlocal:\n\(local.standardOutput)\nremote:\n\(remote.standardOutput)",
                        sourceLocation: sourceLocation)
                #expect(remote.standardError == local.standardError, "\(command): local \(local.standardError) remote \(remote.standardError)",
                        sourceLocation: sourceLocation)
                if status != 0 {
                    #expect(local.standardError.hasPrefix("meridian: error: ") && local.standardError.filter { $0 == "\n" }.count == 1,
                            "\(command): \(local.standardError)", sourceLocation: sourceLocation)
                }
                return local.standardOutput
            }
        }

        /// Waits (at most 60 s) until the exchange is in `state`: the server's workers run its tasks.
        func wait(_ id: String, until state: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
            for _ in 0..<240 {
                let status = try await ok(["exchange", "status", id, "--json"], as: "pm", .local)
                if status.contains("\"state\" : \"\(state)\"") { return }
                try await Task.sleep(for: .milliseconds(250))
            }
            Issue.record("exchange \(id) did not reach \(state)", sourceLocation: sourceLocation)
        }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// An IATI file without the times it and its activities were written.
    static func timeless(_ xml: String) -> String {
        xml.replacing(/(generated|last-updated)-datetime="[^"]*"/, with: "datetime")
    }

    static func lastLine(_ text: String) -> String { text.split(separator: "\n").last.map(String.init) ?? "" }

    /// Users with tokens, the shipped workflows, the seed catalogue and a fund with money, all on the database.
    func setUp(_ database: TestDatabase, _ server: ServeProcess) async throws -> Session {
        var session = Session(database: database, server: server)
        try await session.ok(["workflow", "deploy", Self.repository.appendingPathComponent("Workflows/knowledge-exchange.xml").path,
                              Self.repository.appendingPathComponent("Workflows/grant.xml").path], as: nil, .local)
        session.tokens["ada"] = Self.lastLine(try await session.ok(["user", "add", "ada", "--name", "Ada", "--role", "admin"], as: nil, .local))
        try await session.ok(["kb", "seed"], as: "ada", .local)
        for (handle, role, country) in [("amani", "official", "COD"), ("claire", "official", "RWA"), ("pm", "program-manager", nil),
                                        ("fay", "fund-approver", nil), ("finn", "finance-officer", nil),
                                        ("fiona", "finance-officer", nil)] as [(String, String, String?)] {
            try await session.ok(["user", "add", handle, "--name", handle, "--role", role] + (country.map { ["--country", $0] } ?? []), as: "ada", .local)
            session.tokens[handle] = Self.lastLine(try await session.ok(["token", "create", "--user", handle], as: "ada", .local))
        }
        return session
    }

    @Test("an exchange from request to payment, acting through the server and reading both ways alike")
    func exchangeThroughTheServer() async throws {
        try await TestDatabase.withFresh { database in
            try await ServeProcess.with(databaseURL: database.url) { server in
                let session = try await setUp(database, server)

                // Your account.
                #expect(try await session.same(["whoami"], as: "amani") == "amani (amani; official; COD)\n")
                try await session.same(["whoami", "--json"], as: "amani")
                try await session.same(["whoami"], as: nil, status: 77)
                // `meridian login` checks the token with the server and saves it; a refused one is refused alike.
                let config = FileManager.default.temporaryDirectory.appendingPathComponent("remote-login-\(UUID().uuidString)").path
                let login = try await session.run(["login", "--token", try #require(session.tokens["amani"])], as: nil, .remote,
                                                  environment: ["XDG_CONFIG_HOME": config])
                #expect(login.status == 0 && login.standardOutput.hasPrefix("logged in as amani (amani; official; COD); token saved to "), "\(login.standardError)")
                #expect(try await session.run(["whoami"], as: nil, .remote, environment: ["XDG_CONFIG_HOME": config]).standardOutput
                    == "amani (amani; official; COD)\n")
                let refusedLocally = try await session.run(["login", "--token", "mrd_unknown"], as: nil, .local)
                let refusedRemotely = try await session.run(["login", "--token", "mrd_unknown"], as: nil, .remote)
                #expect(refusedLocally.status == 77 && refusedRemotely.status == 77)
                #expect(refusedRemotely.standardError == refusedLocally.standardError, "\(refusedLocally.standardError) \(refusedRemotely.standardError)")
                let created = try await session.ok(["token", "create", "--label", "laptop"], as: "amani", .remote)
                #expect(created.contains("for amani (laptop)"))
                #expect(try await session.ok(["token", "list"], as: "amani", .remote).contains("laptop"))
                // An admin's list without --user is everybody's, through the server too.
                #expect(try await session.same(["token", "list"], as: "ada").contains("laptop"))

                // Funds, created and fed through the server.
                #expect(try await session.ok(["fund", "create", "rapid", "--name", "Rapid Response Fund", "--currency", "USD",
                                              "--iban", "DE89 3704 0044 0532 0130 00"], as: "ada", .remote)
                    .hasPrefix("created fund rapid: Rapid Response Fund, in USD, grants up to 150,000.00 USD"))
                #expect(try await session.ok(["fund", "contribute", "rapid", "--donor", "Donor A", "--amount", "100,000.00 USD",
                                              "--date", "2026-01-15", "--reference", "AGR-1"], as: "ada", .remote)
                    .hasPrefix("recorded 100,000.00 USD from Donor A on 2026-01-15 (AGR-1), ledger transaction "))
                try await session.same(["fund", "create", "other", "--name", "Other", "--currency", "EUR"], as: "ada", status: 65)

                // An official files a request; another country's official may not.
                let request = ["exchange", "request", "--country", "COD", "--country-name", "DR Congo", "--region", "sub-saharan-africa",
                               "--income-group", "low", "--goal", "Lasting peace in the eastern provinces after the war",
                               "--challenge", "The commission cannot reintegrate demobilised ex-combatants into their communities",
                               "--objective", "A community-based reintegration programme for former fighters",
                               "--sector", "demobilisation-reintegration", "--instrument", "study-visit",
                               "--indicator", "Former fighters with a livelihood|%|12|40"]
                try await session.same(request, as: "claire", status: 77)
                let filed = try await session.ok(request + ["--key", "cod-1"], as: "amani", .remote)
                let id = try #require(filed.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
                #expect(filed == "exchange \(id): filed; now in submitted\n")
                #expect(try await session.ok(request + ["--key", "cod-1"], as: "amani", .local) == "exchange \(id): already filed with this key; now in submitted\n")
                try await session.same(["exchange", "show", id], as: "amani")
                try await session.same(["exchange", "show", id, "--json"], as: "pm")
                try await session.same(["exchange", "show", id], as: "claire", status: 66)
                try await session.same(["exchange", "show", "not-an-id"], as: "amani", status: 64)

                // The program manager screens and decides through the server.
                #expect(try await session.ok(["exchange", "screen", id, "--key", "screen-1"], as: "pm", .remote) == "exchange \(id): in screening\n")
                try await session.same(["inbox"], as: "pm")
                try await session.same(["inbox", "--json"], as: "pm")
                try await session.same(["approve", id], as: "amani", status: 1)
                #expect(try await session.ok(["approve", id, "--comment", "complete and in mandate"], as: "pm", .remote)
                    == "exchange \(id): accept; screening → matching\n")
                try await session.wait(id, until: "match-review")
                try await session.same(["exchange", "matches", id], as: "amani")
                try await session.same(["exchange", "matches", id, "--json"], as: "pm")
                // The official's word on a matched experience, through the server; read back both ways.
                let matched = try await session.ok(["exchange", "matches", id, "--json"], as: "amani", .local)
                let experience = try #require(matched.firstMatch(of: /"experience_id" : (\d+)/).map { String($0.1) })
                try await session.same(["kb", "feedback", experience, "--exchange", id, "--useful"], as: "claire", status: nil)
                try await session.same(["kb", "feedback", experience, "--exchange", id, "--useful", "--not-useful"], as: "amani", status: 64)
                try await session.same(["kb", "feedback", "999999", "--exchange", id, "--useful"], as: "amani", status: nil)
                #expect(try await session.ok(["kb", "feedback", experience, "--exchange", id, "--useful", "--comment", "Fits our commission"],
                                             as: "amani", .remote) == "experience \(experience): recorded useful from amani for exchange \(id)\n")
                try await session.same(["kb", "show", experience], as: "pm")
                try await session.same(["kb", "show", experience, "--json"], as: nil)
                try await session.same(["kb", "feedback", experience, "--exchange", id, "--not-useful", "--json"], as: "amani")
                try await session.same(["kb", "show", experience], as: "amani")
                #expect(try await session.ok(["approve", id], as: "pm", .remote) == "exchange \(id): approve-matches; match-review → partner-selection\n")
                #expect(try await session.ok(["exchange", "select-partner", id, "RWA"], as: "amani", .remote)
                    == "exchange \(id): RWA chosen; now in partner-confirmation\n")
                #expect(try await session.ok(["exchange", "confirm", id], as: "claire", .local) == "exchange \(id): RWA confirmed; now in planning\n")
                try await session.same(["exchange", "confirm", id], as: "claire", status: 75)

                // The plan, imported and submitted through the server; its grant read both ways.
                let day = ISO8601DateFormatter.string(from: Date().addingTimeInterval(40 * 86_400), timeZone: TimeZone(identifier: "UTC")!,
                                                      formatOptions: [.withFullDate])
                let plan = try temporaryFile("plan.json", """
                    {"activities": [{"instrument": "study-visit", "title": "Reintegration centres", "start": "\(day)", "end": "\(day)",
                      "place": "Musanze, Rwanda", "participants": [{"name": "Amani", "institution": "UEPN", "country": "COD", "role": "visitor"}]}],
                     "budget": [{"category": "travel", "description": "Flights", "amount_minor": 1250000, "currency": "USD", "paid_by": "grant"},
                                {"category": "venue", "description": "Debriefing", "amount_minor": 300000, "currency": "USD", "paid_by": "co-financing"}]}
                    """)
                #expect(try await session.ok(["exchange", "plan", "import", id, plan], as: "amani", .remote)
                    == "exchange \(id): plan version 1 stored: 1 activities, grant 12,500.00 USD\n")
                try await session.same(["exchange", "plan", "show", id], as: "pm")
                try await session.same(["exchange", "plan", "show", id, "--json"], as: "claire")
                #expect(try await session.ok(["exchange", "plan", "submit", id, "--key", "s1"], as: "amani", .remote)
                    == "exchange \(id): plan version 1 submitted (grant 12,500.00 USD); now in funding-review\n")
                try await session.same(["grant", "list"], as: "pm")
                try await session.same(["grant", "list", "--json"], as: "fay")
                try await session.same(["grant", "show", id], as: "pm")
                try await session.same(["grant", "show", id, "--json"], as: "amani")

                // The program manager names another fund and back, through the server; an official may not.
                try await session.ok(["fund", "create", "reserve", "--name", "Reserve Fund", "--currency", "USD"], as: "ada", .remote)
                try await session.same(["grant", "fund", id, "--fund", "reserve", "--reason", "mine"], as: "amani", status: 77)
                #expect(try await session.ok(["grant", "fund", id, "--fund", "reserve", "--reason", "reserve agreement"], as: "pm", .remote)
                    .contains("now asked from reserve, chosen by pm: reserve agreement"))
                try await session.same(["grant", "show", id], as: "pm")
                try await session.ok(["grant", "fund", id, "--fund", "rapid", "--reason", "the reserve holds no money"], as: "pm", .remote)

                // A fund approver's vote through the server; a program manager may not vote.
                try await session.same(["grant", "approve", id], as: "pm", status: 77)
                try await session.ok(["grant", "approve", id, "--comment", "fits the mandate"], as: "fay", .remote)
                try await session.wait(id, until: "disbursement")
                try await session.same(["grant", "approve", id], as: "fay", status: nil)

                // The finance officer disburses through the server and lists the payments both ways.
                let disbursed = try await session.ok(["disburse", id, "--beneficiary", "Ministry of Reintegration",
                                                      "--iban", "GB82 WEST 1234 5698 7654 32", "--key", "pay-1"], as: "finn", .remote)
                #expect(disbursed.hasPrefix("instalment 1: ") && disbursed.contains(" USD to Ministry of Reintegration, instruction "), "\(disbursed)")
                #expect(try await session.ok(["disburse", id, "--beneficiary", "Ministry of Reintegration",
                                              "--iban", "GB82 WEST 1234 5698 7654 32", "--key", "pay-1"], as: "finn", .remote)
                    .hasPrefix("already disbursed: instruction "))
                try await session.same(["payments", "list"], as: "finn")
                try await session.same(["payments", "list", "--json"], as: "finn")
                try await session.same(["payments", "list"], as: "amani", status: 77)
                try await session.same(["grant", "show", id], as: "finn")
                try await session.same(["fund", "list"], as: "finn")
                try await session.same(["fund", "show", "rapid", "--json"], as: "finn")
                try await session.same(["fund", "statement", "rapid", "--as-of", "2026-12-31"], as: "finn")

                // The fund's and the exchange's IATI files, through the server as on the database (but for the time they were written).
                for (arguments, user) in [(["export", "iati", "--fund", "rapid"], "finn"), (["export", "iati", "--exchange", id], "amani"),
                                          (["export", "iati", "--fund", "rapid", "--reporting-org", "XM-DAC-41114", "--reporting-org-name", "KEF"], "pm")] {
                    let local = try await session.run(arguments, as: user, .local), remote = try await session.run(arguments, as: user, .remote)
                    #expect(local.status == 0 && remote.status == 0, "\(arguments): \(local.standardError) \(remote.standardError)")
                    #expect(local.standardOutput.contains("<iati-activities") && Self.timeless(remote.standardOutput) == Self.timeless(local.standardOutput),
                            "\(arguments):\nlocal:\n\(local.standardOutput)\nremote:\n\(remote.standardOutput)")
                }
                let iati = try temporaryFile("iati.xml", "")
                let written = try await session.same(["export", "iati", "--fund", "rapid", "--output", iati], as: "finn")
                #expect(written == "wrote \(iati): 2 activities\n")
                try await session.same(["export", "iati", "--fund", "rapid"], as: "amani", status: 77)
                try await session.same(["export", "iati", "--fund", "nowhere"], as: "finn", status: 66)
                try await session.same(["export", "iati", "--exchange", "0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10"], as: "amani", status: 66)

                // The bank's answer marked by hand through the server (export stays on the database), by a second officer.
                let payments = try await session.ok(["payments", "list", "--json"], as: "finn", .remote)
                let rows = try #require(try JSONSerialization.jsonObject(with: Data(payments.utf8)) as? [[String: Any]])
                let endToEnd = try #require(rows.first?["end_to_end_id"] as? String)
                // The pain.001 file through the server: the answer is the delivery, the same file as stored.
                try await session.same(["payments", "export"], as: "amani", status: 77)
                let pain001 = try temporaryFile("pain001.xml", "")
                let exported = try await session.ok(["payments", "export", "--output", pain001], as: "finn", .remote)
                let files = try #require(try JSONSerialization.jsonObject(with: Data(try await session.ok(["payments", "files", "--json"], as: "finn", .local).utf8))
                    as? [[String: Any]])
                let message = try #require(files.first?["message_id"] as? String), controlSum = try #require(files.first?["control_sum"] as? String)
                #expect(exported == "wrote \(pain001): message \(message), 1 payment(s), control sum \(controlSum)\n")
                #expect(try String(contentsOfFile: pain001, encoding: .utf8) == (try await session.ok(["payments", "file", message], as: "finn", .local)))
                try await session.same(["payments", "files"], as: "finn")
                try await session.same(["payments", "files", "--state", "delivered", "--json"], as: "fiona")
                try await session.same(["payments", "files", "--state", "prepared"], as: "finn")
                try await session.same(["payments", "files"], as: "pm", status: 77)
                try await session.same(["payments", "file", message], as: "fiona")
                let copy = try temporaryFile("copy.xml", "")
                #expect(try await session.same(["payments", "file", message, "--output", copy], as: "finn")
                    == "wrote \(copy): message \(message) (delivered), 1 payment(s), control sum \(controlSum)\n")
                try await session.same(["payments", "file", "MER-NONE"], as: "finn", status: 66)
                try await session.same(["payments", "export"], as: "finn")
                try await session.same(["payments", "export", "--format", "pain.008"], as: "finn", status: 64)
                try await session.same(["payments", "mark", endToEnd, "paid", "--reason", "the bank called"], as: "finn", status: 77)
                #expect(try await session.ok(["payments", "mark", endToEnd, "paid", "--reason", "bank statement of the day"], as: "fiona", .remote)
                    .contains(endToEnd))
                try await session.wait(id, until: "implementation")
                // The bank's status report, both ways: a known payment already paid changes nothing; an unknown one refuses the file.
                func report(_ endToEnd: String) throws -> String {
                    try temporaryFile("pain002.xml", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
                        <GrpHdr><MsgId>BANK-1</MsgId><CreDtTm>2026-11-29T10:00:00</CreDtTm></GrpHdr>
                        <OrgnlGrpInfAndSts><OrgnlMsgId>\(message)</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId></OrgnlGrpInfAndSts>
                        <OrgnlPmtInfAndSts><OrgnlPmtInfId>\(message)-1</OrgnlPmtInfId>
                        <TxInfAndSts><OrgnlEndToEndId>\(endToEnd)</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>
                        </OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
                        """)
                }
                let accepted = try report(endToEnd)
                try await session.same(["payments", "reconcile", accepted], as: "finn")
                try await session.same(["payments", "reconcile", accepted, "--json"], as: "fiona")
                try await session.same(["payments", "reconcile", accepted], as: "amani", status: 77)
                try await session.same(["payments", "reconcile", try report("M0000000000000000000000000000000")], as: "finn", status: 66)
                try await session.same(["payments", "reconcile", "/nonexistent/pain002.xml"], as: "finn", status: 66)

                // The results report and its review through the server.
                let report = try temporaryFile("report.json", """
                    {"indicators": [{"name": "Former fighters with a livelihood", "actual": 27}],
                     "outcomes": [{"kind": "enhanced-skills", "description": "Case workers trained in community reintegration"}],
                     "lessons": ["Start with the communities."],
                     "feedback": {"requesting_country": "Useful.", "partner_country": "Glad to help."}}
                    """)
                #expect(try await session.ok(["exchange", "report", "submit", id, report, "--key", "r1"], as: "amani", .remote)
                    == "exchange \(id): report version 1 submitted; now in results-review\n")
                try await session.same(["exchange", "review", id, "accept"], as: "amani", status: 77)
                #expect(try await session.ok(["exchange", "review", id, "accept"], as: "pm", .remote)
                    == "exchange \(id): report version 1 accepted; now in closed\n")

                // Following the exchange, both ways alike.
                try await session.same(["exchange", "status", id], as: "amani")
                try await session.same(["exchange", "status", id, "--json"], as: "claire")
                try await session.same(["exchange", "timeline", id], as: "amani")
                try await session.same(["exchange", "list"], as: "claire")
                try await session.same(["exchange", "list", "--json"], as: "pm")
                try await session.same(["exchange", "show", id, "--json"], as: "amani")
                try await session.same(["portfolio"], as: "pm")
                try await session.same(["portfolio", "--json"], as: "amani")
            }
        }
    }

    @Test("the knowledge base through the server: the same lists, searches, experiences and imports, with or without a token")
    func knowledgeBase() async throws {
        try await TestDatabase.withFresh { database in
            try await ServeProcess.with(databaseURL: database.url, workers: false) { server in
                let session = try await setUp(database, server)
                try await session.same(["kb", "list"], as: "amani")
                try await session.same(["kb", "list"], as: nil)
                try await session.same(["kb", "list", "--country", "rwa"], as: "pm")
                try await session.same(["kb", "list", "--sector", "demobilisation-reintegration", "--json"], as: nil)
                try await session.same(["kb", "list", "--sector", "nonsense"], as: nil, status: 64)
                try await session.same(["kb", "search", "demobilised combatants reintegration"], as: "amani")
                try await session.same(["kb", "search", "land titles", "--limit", "3", "--json"], as: nil)
                try await session.same(["kb", "search", "zzzqqq"], as: nil)
                try await session.same(["kb", "show", "1"], as: "amani")
                try await session.same(["kb", "show", "1", "--json"], as: nil)
                try await session.same(["kb", "show", "999999"], as: "amani", status: 66)
                // The bundled country table: read from meridian itself, whether a server is named or not.
                for arguments in [["kb", "countries"], ["kb", "countries", "--language", "fr", "--json"]] {
                    let here = try await MeridianBinary.run(arguments, environment: [:])
                    let there = try await MeridianBinary.run(arguments, environment: ["MERIDIAN_SERVER": server.url])
                    #expect(here.status == 0 && there.status == 0 && here.standardOutput == there.standardOutput, "\(there.standardError)")
                }

                // A curator imports through the server; an official may not; the catalogue reads the same after.
                let catalogue = try temporaryFile("experiences.json", """
                    [{"country_code": "GHA", "country_name": "Ghana", "region": "sub-saharan-africa", "income_group": "lower-middle",
                      "sectors": ["governance"], "programme": "Remote import test programme", "start_year": 2015,
                      "end_year": 2019, "problem": "Budget credibility was low", "approach": "Medium-term expenditure framework",
                      "outcomes": "Budget outturns within five per cent", "outcome_strength": 2, "sources": ["https://example.org/gha"]}]
                    """)
                try await session.same(["kb", "import", catalogue], as: "amani", status: 77)
                #expect(try await session.ok(["kb", "import", catalogue], as: "ada", .remote) == "imported \(catalogue): 1 new, 0 updated\n")
                #expect(try await session.ok(["kb", "import", catalogue, "--json"], as: "ada", .remote)
                    == (try await session.ok(["kb", "import", catalogue, "--json"], as: "ada", .local)))
                try await session.same(["kb", "list", "--country", "GHA"], as: nil)
                try await session.same(["kb", "search", "expenditure framework", "--json"], as: "pm")
            }
        }
    }

    @Test("a program manager asks for information and declines through the server; the official follows both ways")
    func otherDecisions() async throws {
        try await TestDatabase.withFresh { database in
            try await ServeProcess.with(databaseURL: database.url, workers: false) { server in
                let session = try await setUp(database, server)
                var ids: [String] = []
                for goal in ["Lasting peace in the eastern provinces", "Land titles for returning families"] {
                    let filed = try await session.ok(["exchange", "request", "--country", "COD", "--country-name", "DR Congo",
                                                      "--region", "sub-saharan-africa", "--income-group", "low", "--goal", goal,
                                                      "--challenge", "The commission lacks a method", "--objective", "A method that works",
                                                      "--sector", "demobilisation-reintegration", "--instrument", "videoconference",
                                                      "--indicator", "Cases settled|%|10|50"],
                                                     as: "amani", .remote)
                    ids.append(try #require(filed.split(separator: " ").dropFirst().first.map { String($0.dropLast()) }))
                    #expect(try await session.ok(["exchange", "screen", ids.last!], as: "pm", .remote) == "exchange \(ids.last!): in screening\n")
                }
                #expect(try await session.ok(["request-info", ids[0], "--comment", "Which provinces?"], as: "pm", .remote)
                    == "exchange \(ids[0]): request-info; screening → information-requested\n")
                try await session.same(["reject", ids[1]], as: "amani", status: 1)
                #expect(try await session.ok(["reject", ids[1], "--comment", "outside the fund's mandate"], as: "pm", .remote)
                    == "exchange \(ids[1]): decline; screening → declined\n")
                try await session.same(["exchange", "status", ids[0]], as: "amani")
                try await session.same(["exchange", "timeline", ids[1]], as: "amani")
                try await session.same(["inbox"], as: "amani")
                try await session.same(["exchange", "list", "--state", "declined", "--json"], as: "pm")
            }
        }
    }

    @Test("an unreachable server is exit status 69 with one line naming it, never the token")
    func unreachableServer() async throws {
        let port = try ServeProcess.freePort()
        let token = "mrd_not-a-real-token-0123456789"
        for arguments in [["inbox"], ["exchange", "status", "0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10", "--json"], ["whoami"]] {
            let output = try await MeridianBinary.run(arguments, environment: ["MERIDIAN_SERVER": "http://127.0.0.1:\(port)", "MERIDIAN_TOKEN": token])
            #expect(output.status == 69, "\(output.standardError)")
            #expect(output.standardError == "meridian: error: cannot reach the Meridian server at http://127.0.0.1:\(port): the connection was refused; "
                    + "check MERIDIAN_SERVER (or --server) and that `meridian serve` runs there\n", "\(output.standardError)")
            #expect(output.standardOutput.isEmpty && !output.standardError.contains(token))
        }
        let flag = try await MeridianBinary.run(["grant", "list", "--server", "http://127.0.0.1:\(port)/"], environment: ["MERIDIAN_TOKEN": token])
        #expect(flag.status == 69 && flag.standardError.contains("at http://127.0.0.1:\(port):"), "\(flag.standardError)")
        let malformed = try await MeridianBinary.run(["inbox"], environment: ["MERIDIAN_SERVER": "ftp://example.org", "MERIDIAN_TOKEN": token])
        #expect(malformed.status == 64 && malformed.standardError.hasPrefix("meridian: error: MERIDIAN_SERVER 'ftp://example.org' is not a server address"),
                "\(malformed.standardError)")
        let credentials = try await MeridianBinary.run(["inbox", "--server", "http://ada:secret@127.0.0.1:\(port)"], environment: ["MERIDIAN_TOKEN": token])
        #expect(credentials.status == 64 && !credentials.standardError.contains("secret"), "\(credentials.standardError)")
        // The token goes in clear only to this machine.
        let clear = try await MeridianBinary.run(["inbox", "--server", "http://meridian.example.org"], environment: ["MERIDIAN_TOKEN": token])
        #expect(clear.status == 64 && clear.standardError.contains("would send your token unencrypted over the network; use https://"),
                "\(clear.standardError)")
        #expect(!clear.standardError.contains(token))
        // A server and a database on one command line: the command does not guess which was meant.
        let both = try await MeridianBinary.run(["inbox", "--database-url", "postgresql://nobody@127.0.0.1:1/none"],
                                                environment: ["MERIDIAN_SERVER": "http://127.0.0.1:\(port)", "MERIDIAN_TOKEN": token])
        #expect(both.status == 64 && both.standardError.hasPrefix("meridian: error: MERIDIAN_SERVER names a server and the command line a database"),
                "\(both.standardError)")
    }

    @Test("matching, the seed, the ledger's check, users and instances through the server: the same lines, --json and statuses")
    func stewardsThroughTheServer() async throws {
        try await TestDatabase.withFresh { database in
            try await ServeProcess.with(databaseURL: database.url, workers: false) { server in
                let session = try await setUp(database, server)
                let words = ["--text", "reintegrate demobilised ex-combatants into communities", "--sector", "demobilisation-reintegration"]
                try await session.same(["kb", "match"] + words + ["--country", "COD"], as: nil)
                try await session.same(["kb", "match"] + words + ["--country", "cod", "--weights", "outcome=0.3,minimum-score=0.3", "--json"], as: "amani")
                try await session.same(["kb", "match", "--text", "Réintégrer d'anciens combattants", "--country", "CAF", "--language", "fr"], as: nil)
                try await session.same(["kb", "match"] + words + ["--country", "XYZ"], as: nil, status: 64)
                try await session.same(["kb", "match", "--text", "   ", "--country", "COD"], as: nil, status: 64)
                try await session.same(["kb", "seed"], as: "ada")
                try await session.same(["kb", "seed"], as: "amani", status: 77)

                // The ledger's check: the finance team's and the auditors', not an official's.
                try await session.same(["fund", "verify"], as: "finn")
                try await session.same(["fund", "verify", "--json"], as: "ada")
                try await session.same(["fund", "verify", "rapid", "--json"], as: "finn", status: 66)
                try await session.same(["fund", "verify"], as: "amani", status: 77)

                // Users: admins only; the handle taken, the user unknown, alike both ways.
                try await session.same(["user", "list"], as: "ada")
                try await session.same(["user", "list", "--json"], as: "ada")
                try await session.same(["user", "list"], as: "pm", status: 77)
                #expect(try await session.ok(["user", "add", "remo", "--name", "Remo", "--role", "official", "--country", "KEN"], as: "ada", .remote)
                    == "added remo (Remo; official; KEN)\n")
                try await session.same(["user", "add", "remo", "--name", "Remo", "--role", "official", "--country", "KEN"], as: "ada", status: 75)
                try await session.same(["user", "add", "remi", "--name", "Remi", "--role", "emperor"], as: "ada", status: 65)
                try await session.same(["user", "roles", "remo", "--role", "official", "--country", "UGA"], as: "ada")
                try await session.same(["user", "roles", "remo", "--role", "official", "--country", "UGA", "--json"], as: "ada")
                #expect(try await session.ok(["user", "disable", "remo"], as: "ada", .remote) == "disabled remo: remo's tokens no longer work\n")
                #expect(try await session.ok(["user", "enable", "remo"], as: "ada", .remote) == "enabled remo (Remo; official; UGA)\n")
                let disabledThere = try await session.ok(["user", "disable", "remo", "--json"], as: "ada", .remote)
                _ = try await session.ok(["user", "enable", "remo"], as: "ada", .local)
                #expect(disabledThere == (try await session.ok(["user", "disable", "remo", "--json"], as: "ada", .local)))
                try await session.same(["user", "enable", "nobody-here"], as: "ada", status: 66)
                try await session.same(["user", "disable", "remo"], as: "pm", status: 77)
                // A one-time link made through the server opens the pages once; the refusals agree.
                let invited = try await session.ok(["user", "invite", "--user", "amani", "--expires-in", "30m", "--base-url", server.url, "--json"],
                                                   as: "ada", .remote)
                let link = try #require(invited.firstMatch(of: /"link" : "([^"]+)"/).map { String($0.1) })
                #expect(link.hasPrefix(server.url + "/sign-in/invite/"), "\(invited)")
                let expiry = try #require(invited.firstMatch(of: /"expires_at" : "([^"]+)"/).flatMap { try? Date($0.1 + "", strategy: .iso8601) })
                #expect((29 * 60...30 * 60 + 5).contains(expiry.timeIntervalSinceNow), "expires \(expiry)")
                let (page, answer) = try await URLSession.shared.data(from: URL(string: link)!)
                #expect((answer as? HTTPURLResponse)?.statusCode == 200 && String(decoding: page, as: UTF8.self).contains("<form"))
                try await session.same(["user", "invite", "--user", "nobody-here"], as: "ada", status: 66)
                try await session.same(["user", "invite", "--user", "amani"], as: "pm", status: 77)
                try await session.same(["user", "invite", "--user", "remo"], as: "ada", status: 75)
                try await session.same(["user", "invite", "--user", "amani", "--expires-in", "31d"], as: "ada", status: 64)

                // Instances: started and fired as the token's user, read as hers.
                let context = #"{"funds-available": true, "amounts": {"grant": {"minor_units": 7500000, "currency": "USD"}}}"#
                let started = try await session.ok(["instance", "start", "grant", "--context", context], as: "pm", .remote)
                let list = try await session.ok(["instance", "list", "--workflow", "grant", "--json"], as: "ada", .remote)
                let id = try #require(list.firstMatch(of: /"id" : "([0-9a-f-]{36})"/).map { String($0.1) })
                #expect(started.hasPrefix(String(id.prefix(8))), "\(started) \(list)")
                try await session.same(["instance", "start", "knowledge-exchange", "--context", #"{"country":"KEN"}"#], as: "amani", status: 77)
                try await session.same(["instance", "start", "no-such-workflow"], as: "pm", status: 66)
                try await session.same(["instance", "fire", id, "submit-for-approval"], as: "amani", status: 77)
                #expect(try await session.ok(["instance", "fire", id, "withdraw", "--key", "withdraw-1"], as: "pm", .remote).hasSuffix("(version 2)\n"))
                try await session.same(["instance", "fire", id, "withdraw", "--key", "withdraw-1"], as: "pm")
                try await session.same(["instance", "show", id], as: "pm")
                try await session.same(["instance", "show", id, "--json"], as: "amani")
                try await session.same(["instance", "history", id, "--json"], as: "pm")
                try await session.same(["instance", "show", "0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10"], as: "pm", status: 66)
                try await session.same(["instance", "list", "--workflow", "grant"], as: "ada")
                try await session.same(["instance", "incidents", "--json"], as: "ada")
                try await session.same(["instance", "retry", id], as: "ada", status: 66)
                // On the database these three are the operator's and need no token; through a server, a supervisor's or admin's.
                let refused = try await session.run(["instance", "list"], as: "pm", .remote)
                #expect(refused.status == 77 && refused.standardError.hasPrefix("meridian: error: listing instances needs the role supervisor or admin"),
                        "\(refused.standardError)")
            }
        }
    }
}
