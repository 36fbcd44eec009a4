import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianEngine
import MeridianExchange
import MeridianPostgres
import MeridianShippedWorkflows
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing
import MeridianFunding

/// `meridian exchange …` run as its users would, each with a token of her own; the tasks run
/// in this process between the commands, as a worker would run them.
@Suite("meridian exchange")
struct ExchangeCommandTests {
    struct Session {
        let database: TestDatabase
        var tokens: [String: String] = [:]

        func run(_ arguments: [String], as user: String?) async throws -> MeridianBinary.Output {
            var environment: [String: String] = [:]
            if let user { environment["MERIDIAN_TOKEN"] = tokens[user] }
            return try await MeridianBinary.run(arguments + ["--database-url", database.url], environment: environment)
        }

        /// Runs `arguments` and expects exit status 0.
        @discardableResult
        func ok(_ arguments: [String], as user: String?, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> String {
            let output = try await run(arguments, as: user)
            #expect(output.status == 0, "\(arguments.joined(separator: " ")): \(output.standardError)", sourceLocation: sourceLocation)
            return output.standardOutput
        }

        func runTasks() async throws {
            try await withPostgresClient(database.settings, logger: database.logger) { client in
                var tasks = TaskHandlers()
                ExchangeTasks.register(into: &tasks, client: client, logger: database.logger)
                let engine = try WorkflowEngine(client: client, configuration: ExchangeFixture.configuration(tasks: tasks), logger: database.logger)
                try await runEngineTasks(engine, client: client, logger: database.logger)
            }
        }
    }

    /// The last line of `text` (where `token create` prints the secret).
    func lastLine(_ text: String) -> String {
        text.split(separator: "\n").last.map(String.init) ?? ""
    }

    func setUp(_ database: TestDatabase) async throws -> Session {
        var session = Session(database: database)
        try await session.ok(["workflow", "deploy", ShippedWorkflows.url(named: "knowledge-exchange").path], as: nil)
        let admin = try await session.ok(["user", "add", "ada", "--name", "Ada", "--role", "admin"], as: nil)
        session.tokens["ada"] = lastLine(admin)
        // Only curators (program managers, admins) write the knowledge base.
        #expect(try await session.run(["kb", "seed"], as: nil).status == 77)
        try await session.ok(["kb", "seed"], as: "ada")
        for (handle, role, country) in [("amani", "official", "COD"), ("claire", "official", "RWA"), ("foday", "official", "SLE"),
                                        ("pm", "program-manager", nil), ("fay", "fund-approver", nil),
                                        ("finn", "finance-officer", nil), ("fiona", "finance-officer", nil)] as [(String, String, String?)] {
            try await session.ok(["user", "add", handle, "--name", handle, "--role", role] + (country.map { ["--country", $0] } ?? []), as: "ada")
            session.tokens[handle] = lastLine(try await session.ok(["token", "create", "--user", handle], as: "ada"))
        }
        return session
    }

    @Test("request, matches, partner choice and confirmation, plan import and submission — with refusals exiting 65, 75 and 77")
    func requestToFundingReview() async throws {
        try await TestDatabase.withFresh { database in
            let session = try await setUp(database)
            let bad = try await session.run(["exchange", "request", "--country", "COD", "--goal", "x", "--challenge", "y", "--objective", "z"], as: "amani")
            #expect(bad.status == 65)
            #expect(bad.standardError.hasPrefix("meridian: error: the request is not valid: "), "\(bad.standardError)")
            #expect(bad.standardError.contains("sectors: name at least one"))
            let request = ["exchange", "request", "--country", "COD", "--country-name", "DR Congo", "--region", "sub-saharan-africa",
                           "--income-group", "low", "--goal", "Lasting peace in the eastern provinces after the war",
                           "--challenge", "The commission cannot reintegrate demobilised ex-combatants into their communities",
                           "--objective", "A community-based reintegration programme for former fighters",
                           "--sector", "demobilisation-reintegration", "--instrument", "study-visit",
                           "--indicator", "Former fighters with a livelihood|%|12|40", "--key", "cod-1"]
            let notTheirs = try await session.run(request, as: "claire")
            #expect(notTheirs.status == 77, "\(notTheirs.standardError)")
            let noToken = try await session.run(request, as: nil)
            #expect(noToken.status == 77)
            let filed = try await session.ok(request, as: "amani")
            let id = try #require(filed.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
            #expect(filed == "exchange \(id): filed; now in submitted\n")
            #expect(try await session.ok(request, as: "amani") == "exchange \(id): already filed with this key; now in submitted\n")

            // Another country's official cannot take this exchange's steps through the generic command either.
            let foreign = try await session.run(["instance", "fire", id, "withdraw"], as: "claire")
            #expect(foreign.status == 66 && foreign.standardError.contains("no exchange has the id"), "\(foreign.standardError)")
            try await session.ok(["instance", "fire", id, "start-screening"], as: "pm")
            try await session.ok(["instance", "fire", id, "accept"], as: "pm")
            try await session.runTasks()
            let matches = try await session.ok(["exchange", "matches", id], as: "amani")
            #expect(matches.hasPrefix("round 1, "))
            #expect(matches.contains("RWA Rwanda"))
            let json = try await session.ok(["exchange", "matches", id, "--json"], as: "pm")
            let round = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect((round["matches"] as? [[String: Any]])?.count == 5)
            try await session.ok(["instance", "fire", id, "approve-matches"], as: "pm")
            // An event whose effects the exchange records is not fired bare.
            let bare = try await session.run(["instance", "fire", id, "select-partner"], as: "amani")
            #expect(bare.status == 64 && bare.standardError.contains("meridian exchange select-partner"), "\(bare.standardError)")

            let hidden = try await session.run(["exchange", "show", id], as: "claire")
            #expect(hidden.status == 66)
            let wrong = try await session.run(["exchange", "select-partner", id, "FRA"], as: "amani")
            #expect(wrong.status == 64 && wrong.standardError.contains("FRA is not among this exchange's matches"))
            #expect(try await session.ok(["exchange", "select-partner", id, "SLE"], as: "amani") == "exchange \(id): SLE chosen; now in partner-confirmation\n")
            let noReason = try await session.run(["exchange", "decline", id], as: "foday")
            #expect(noReason.status == 64)
            #expect(try await session.ok(["exchange", "decline", id, "--reason", "Our commission closes this year"], as: "foday")
                == "exchange \(id): SLE declined; now in partner-selection\n")
            try await session.runTasks()
            #expect(try await session.ok(["exchange", "show", id], as: "amani").contains("SLE declined the invitation: Our commission closes this year"))
            #expect(try await session.ok(["exchange", "select-partner", id, "RWA"], as: "amani") == "exchange \(id): RWA chosen; now in partner-confirmation\n")
            try await session.runTasks()
            let invited = try await session.ok(["exchange", "show", id], as: "claire")
            #expect(invited.contains("invite-partner"))
            #expect(try await session.run(["exchange", "confirm", id], as: "foday").status == 66)
            #expect(try await session.ok(["exchange", "confirm", id], as: "claire") == "exchange \(id): RWA confirmed; now in planning\n")
            let again = try await session.run(["exchange", "confirm", id], as: "claire")
            #expect(again.status == 75, "\(again.standardError)")

            let start = CalendarDay(Date().addingTimeInterval(40 * 86_400))
            let plan = """
                {"activities": [{"instrument": "study-visit", "title": "Reintegration centres", "start": "\(start)", "end": "\(start)",
                  "place": "Musanze, Rwanda", "participants": [{"name": "Amani", "institution": "UEPN", "country": "COD", "role": "visitor"}]}],
                 "budget": [{"category": "travel", "description": "Flights", "amount_minor": 1250000, "currency": "USD", "paid_by": "grant"},
                            {"category": "venue", "description": "Debriefing", "amount_minor": 300000, "currency": "USD", "paid_by": "co-financing"}]}
                """
            let badPlan = try temporaryFile("bad-plan.json", plan.replacingOccurrences(of: "1250000", with: "-5"))
            let refused = try await session.run(["exchange", "plan", "import", id, badPlan], as: "amani")
            #expect(refused.status == 65 && refused.standardError.contains("budget[0].amount_minor: must be positive"), "\(refused.standardError)")
            let planFile = try temporaryFile("plan.json", plan)
            #expect(try await session.ok(["exchange", "plan", "import", id, planFile], as: "claire")
                == "exchange \(id): plan version 1 stored: 1 activities, grant 12,500.00 USD\n")
            let shown = try await session.ok(["exchange", "plan", "show", id], as: "pm")
            #expect(shown.contains("12,500.00 USD") && shown.contains("co-financing 3,000.00 USD"))
            // The grant comes from a trust fund that holds the money (the only USD fund).
            try await session.ok(["fund", "create", "rapid", "--name", "Rapid Response Fund", "--currency", "USD",
                                  "--iban", "DE89 3704 0044 0532 0130 00"], as: "ada")
            try await session.ok(["fund", "contribute", "rapid", "--donor", "Donor A", "--amount", "100,000.00 USD", "--reference", "AGR-1"], as: "ada")
            #expect(try await session.run(["exchange", "plan", "submit", id], as: "claire").status == 77)
            #expect(try await session.ok(["exchange", "plan", "submit", id, "--key", "s1"], as: "amani")
                == "exchange \(id): plan version 1 submitted (grant 12,500.00 USD); now in funding-review\n")
            let list = try await session.ok(["exchange", "list", "--json"], as: "claire")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [[String: Any]])
            #expect(rows.count == 1 && rows.first?["state"] as? String == "funding-review" && rows.first?["partner"] as? String == "RWA")
            let view = try await session.ok(["exchange", "show", id, "--json"], as: "pm")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(view.utf8)) as? [String: Any])
            #expect((object["plans"] as? [Any])?.count == 1)
            #expect(try await session.ok(["exchange", "list", "--state", "closed"], as: "pm").hasSuffix("0 exchange(s)\n"))

            // Funding: the approver's vote commits the grant, the finance officer disburses it, the
            // bank's confirmation is marked by hand — once the payment went to the bank, by a second officer, with a reason.
            // At funding review the program manager may name another fund (recorded and shown); not the official.
            try await session.ok(["fund", "create", "reserve", "--name", "Reserve Fund", "--currency", "USD"], as: "ada")
            #expect(try await session.run(["grant", "fund", id, "--fund", "reserve", "--reason", "mine"], as: "amani").status == 77)
            let unknownFund = try await session.run(["grant", "fund", id, "--fund", "nope", "--reason", "x"], as: "pm")
            #expect(unknownFund.status == 66 && unknownFund.standardError.contains("funds that could pay: rapid, reserve"), "\(unknownFund.standardError)")
            #expect(try await session.ok(["grant", "fund", id, "--fund", "reserve", "--reason", "reserve agreement"], as: "pm").contains("now asked from reserve"))
            #expect(try await session.ok(["grant", "show", id], as: "pm").contains("fund reserve (chosen at funding review by pm: reserve agreement)"))
            try await session.ok(["grant", "fund", id, "--fund", "rapid", "--reason", "the reserve holds no money yet"], as: "pm")
            #expect(try await session.ok(["fund", "statement", "rapid"], as: "pm").contains("chosen at funding review by pm: the reserve holds no money yet"))
            #expect(try await session.ok(["exchange", "plan", "show", id], as: "pm")
                .contains("fund: not named in the plan"))
            try await session.ok(["grant", "approve", id], as: "fay")
            let disbursed = try await session.ok(["disburse", id, "--beneficiary", "Ministry of Reintegration", "--iban", "GB82 WEST 1234 5698 7654 32",
                                                  "--json"], as: "finn")
            let instruction = try #require(try JSONSerialization.jsonObject(with: Data(disbursed.utf8)) as? [String: Any])
            let endToEnd = try #require(instruction["end_to_end_id"] as? String)
            let pending = try await session.run(["payments", "mark", endToEnd, "paid", "--reason", "the bank called"], as: "fiona")
            let pendingPrefix = "meridian: error: the payment \(endToEnd) is pending: it was never exported"
            #expect(pending.status == 75 && pending.standardError.hasPrefix(pendingPrefix), "\(pending.standardError)")
            let markWithoutReason = try await session.run(["payments", "mark", endToEnd, "paid"], as: "fiona")
            #expect(markWithoutReason.status == 64 && markWithoutReason.standardError.contains("marking a payment needs --reason"),
                    "\(markWithoutReason.standardError)")
            try await session.ok(["payments", "export", "--output", try temporaryFile("pain001.xml", "")], as: "finn")
            let own = try await session.run(["payments", "mark", endToEnd, "paid", "--reason", "the bank called"], as: "finn")
            #expect(own.status == 77 && own.standardError.contains("finn disbursed the payment \(endToEnd) and so may not also confirm it"), "\(own.standardError)")
            #expect(try await session.ok(["exchange", "list", "--json"], as: "pm").contains("\"payment-pending\""), "a refusal changes nothing")
            try await session.ok(["payments", "mark", endToEnd, "paid", "--reason", "bank statement of the day"], as: "fiona")
            #expect(try await session.ok(["exchange", "list", "--json"], as: "pm").contains("\"implementation\""))
            let report = """
                {"indicators": [{"name": "Former fighters with a livelihood", "actual": 27}],
                 "outcomes": [{"kind": "enhanced-skills", "description": "Case workers trained in community reintegration"}],
                 "lessons": ["Start with the communities."],
                 "feedback": {"requesting_country": "Useful.", "partner_country": "Glad to help."}}
                """
            let badReport = try temporaryFile("bad-report.json", report.replacingOccurrences(of: "Former fighters with a livelihood", with: "Schools"))
            let refusedReport = try await session.run(["exchange", "report", "submit", id, badReport], as: "amani")
            #expect(refusedReport.status == 65 && refusedReport.standardError.contains("no actual value for 'Former fighters with a livelihood'"))
            let reportFile = try temporaryFile("report.json", report)
            #expect(try await session.ok(["exchange", "report", "submit", id, reportFile], as: "amani")
                == "exchange \(id): report version 1 submitted; now in results-review\n")
            #expect(try await session.run(["exchange", "review", id, "revise"], as: "pm").status == 64)
            #expect(try await session.run(["exchange", "review", id, "accept"], as: "amani").status == 77)
            try await session.ok(["exchange", "review", id, "revise", "--comment", "Add the partner's view"], as: "pm")
            try await session.ok(["exchange", "report", "submit", id, reportFile], as: "amani")
            #expect(try await session.ok(["exchange", "review", id, "accept"], as: "pm")
                == "exchange \(id): report version 2 accepted; now in closed\n")
            try await session.runTasks()
            let closed = try await session.ok(["exchange", "show", id], as: "claire")
            #expect(closed.contains("state       closed (final)"))
            #expect(closed.contains("published   experience"))
            #expect(closed.contains("revise by pm: Add the partner's view"))

            // The transparency file: validated against the IATI schema before it is printed (exit 1 otherwise).
            // A knowledge exchange is started only by filing a request: never bare, for any country.
            let bareStart = try await session.run(["instance", "start", "knowledge-exchange", "--context", #"{"country":"KEN"}"#], as: "amani")
            #expect(bareStart.status == 77 && bareStart.standardError.contains("started by filing a request"), "\(bareStart.standardError)")
            // Another country's official learns nothing of it, not even that it exists.
            let foreignIATI = try await session.run(["export", "iati", "--exchange", id], as: "foday")
            #expect(foreignIATI.status == 66 && foreignIATI.standardOutput.isEmpty, "\(foreignIATI.standardError)")
            #expect(try await session.run(["export", "iati", "--exchange", id], as: nil).status == 77)
            let iati = try await session.ok(["export", "iati", "--exchange", id], as: "amani")
            #expect(iati.contains("<recipient-country code=\"CD\" percentage=\"100\"/>"))
            #expect(iati.contains("<activity-status code=\"4\"/>"))
            #expect(iati.contains("<transaction-type code=\"2\"/>") && iati.contains("<transaction-type code=\"3\"/>")
                    && iati.contains("<transaction-type code=\"11\"/>"))
            #expect(iati.contains("<actual value=\"27\"/>"), "\(iati)")
            // One country-code system in the file (alpha-2, as recipient-country), and no organisation paying itself.
            let governments = iati.components(separatedBy: "Government of ").dropFirst().map { String($0.prefix { $0.isLetter && $0.isUppercase }) }
            #expect(governments.count >= 2 && governments.allSatisfy { $0.count == 2 }, "\(governments)")
            #expect(iati.contains("Government of RW (partner country)"))
            func narrative(of organisation: String, in transaction: String) -> String? {
                guard let start = transaction.range(of: "<\(organisation)") else { return nil }
                let rest = transaction[start.upperBound...]
                guard let open = rest.range(of: ">", range: rest.range(of: "<narrative")!.upperBound..<rest.endIndex),
                      let close = rest.range(of: "</narrative>") else { return nil }
                return String(rest[open.upperBound..<close.lowerBound])
            }
            let transactions = iati.components(separatedBy: "</transaction>").dropLast().compactMap { $0.components(separatedBy: "<transaction-type").last }
            #expect(transactions.count >= 3)
            for transaction in transactions {
                let provider = narrative(of: "provider-org", in: transaction)
                #expect(provider == nil || provider != narrative(of: "receiver-org", in: transaction), "\(transaction)")
            }
        }
    }
}
