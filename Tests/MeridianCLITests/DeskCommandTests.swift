import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianEngine
import MeridianExchange
import MeridianPostgres
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing
import MeridianFunding

/// `meridian inbox`, `approve`, `reject`, `request-info`, `exchange status|timeline|screen` and
/// `portfolio`, run as their users would; every refusal is checked to leave the database as it was.
@Suite("meridian inbox, approve, reject, status, timeline, portfolio")
struct DeskCommandTests {
    typealias Session = ExchangeCommandTests.Session

    /// Everything a refused command could have changed: every row of every table (plans,
    /// grants, the ledger, notifications and jobs as much as instances and history).
    func footprint(_ database: TestDatabase) async throws -> TableFingerprint {
        try await TableFingerprint.take(database)
    }

    func fire(_ database: TestDatabase, _ id: String, _ event: String, actor: String) async throws {
        try await withPostgresClient(database.settings, logger: database.logger) { client in
            let engine = try WorkflowEngine(client: client, configuration: ExchangeFixture.configuration(), logger: database.logger)
            let outcome = try await engine.fire(FireRequest(instanceID: try #require(UUID(uuidString: id)), event: event, actor: .system(actor)))
            #expect(outcome.status == .applied, "\(event): \(outcome.message)")
        }
    }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    func file(_ session: Session, _ country: String, _ user: String) async throws -> String {
        let filed = try await session.ok(["exchange", "request", "--country", country, "--country-name", country, "--region", "sub-saharan-africa",
                                          "--income-group", "low", "--goal", "Lasting peace in the eastern provinces after the war",
                                          "--challenge", "The commission cannot reintegrate demobilised ex-combatants into their communities",
                                          "--objective", "A community-based reintegration programme for former fighters",
                                          "--sector", "demobilisation-reintegration", "--instrument", "study-visit",
                                          "--indicator", "Former fighters with a livelihood|%|12|40"], as: user)
        return try #require(filed.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
    }

    @Test("from submitted to payment through the desk verbs, with status, timeline, inbox and portfolio; refusals change nothing")
    func desk() async throws {
        try await TestDatabase.withFresh { database in
            var session = try await ExchangeCommandTests().setUp(database)
            // olga serves COD as an official and approves grants: she may not approve the plan she submits.
            try await session.ok(["user", "add", "olga", "--name", "Olga", "--role", "official", "--role", "fund-approver", "--country", "COD"], as: "ada")
            session.tokens["olga"] = ExchangeCommandTests().lastLine(try await session.ok(["token", "create", "--user", "olga"], as: "ada"))
            let id = try await file(session, "COD", "amani")
            let other = try await file(session, "RWA", "claire")

            // The inbox: both requests wait for the program manager, oldest first, with their deadline.
            let inbox = try #require(try json(try await session.ok(["inbox", "--json"], as: "pm")) as? [[String: Any]])
            // Ids print in lower case in JSON as in the tables.
            #expect(inbox.map { $0["id"] as? String } == [id, other])
            #expect((inbox.first?["actions"] as? [[String: Any]])?.map { $0["event"] as? String } == ["start-screening"])
            #expect((inbox.first?["deadline_event"] as? String) == "pickup-overdue")
            #expect(try await session.ok(["inbox"], as: "pm").contains("start-screening"))
            #expect(try await session.ok(["inbox"], as: "amani") == "nothing waits for you\n")

            // Refusals, each with nothing changed.
            var before = try await footprint(database)
            let pickUp = try await session.run(["approve", id], as: "pm")
            #expect(pickUp.status == 1 && pickUp.standardError.contains("run `meridian exchange screen \(id)`"), "\(pickUp.standardError)")
            let unknown = try await session.run(["approve", "0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10"], as: "pm")
            #expect(unknown.status == 66, "\(unknown.standardError)")
            #expect(try await session.run(["approve", "not-an-id"], as: "pm").status == 64)
            let noToken = try await session.run(["approve", id], as: nil)
            #expect(noToken.status == 77 && noToken.standardError.contains("no token"))
            let foreign = try await session.run(["approve", id], as: "claire")
            #expect(foreign.status == 66 && foreign.standardError.contains("no exchange has the id"), "\(foreign.standardError)")
            #expect(try await session.run(["exchange", "screen", id], as: "amani").status == 77)
            #expect(try await session.run(["exchange", "status", id], as: "foday").status == 66)
            #expect(try await session.run(["exchange", "timeline", id], as: "foday").status == 66)
            #expect(try await session.run(["instance", "show", id], as: "foday").status == 66)
            #expect(try await session.run(["instance", "history", id], as: "foday").status == 66)
            #expect(try await session.run(["instance", "show", id], as: "amani").status == 0)
            #expect(try await footprint(database) == before)

            #expect(try await session.ok(["exchange", "screen", id, "--key", "scr-1"], as: "pm") == "exchange \(id): in screening\n")
            let official = try await session.run(["approve", id], as: "amani")
            #expect(official.status == 1 && official.standardError.contains("nothing to approve for amani in screening"), "\(official.standardError)")
            #expect(try await session.ok(["request-info", id, "--comment", "Which provinces?"], as: "pm")
                == "exchange \(id): request-info; screening → information-requested\n")
            try await session.ok(["instance", "fire", id, "provide-info"], as: "amani")
            #expect(try await session.ok(["approve", id, "--comment", "complete and in mandate", "--key", "ok-1"], as: "pm")
                == "exchange \(id): accept; screening → matching\n")
            #expect(try await session.ok(["approve", id, "--comment", "complete and in mandate", "--key", "ok-1"], as: "pm")
                == "exchange \(id): accept (already, with this key); screening → matching\n")
            try await session.runTasks()
            #expect(try await session.ok(["approve", id], as: "pm") == "exchange \(id): approve-matches; match-review → partner-selection\n")
            #expect(try await session.ok(["exchange", "status", id], as: "pm").contains("waits for   official of COD: select-partner"))
            // An official's inbox reads her country's exchanges and those it is invited to.
            #expect(try await session.ok(["inbox"], as: "amani").contains("select-partner"))
            #expect(try await session.ok(["inbox"], as: "claire") == "nothing waits for you\n")
            try await session.ok(["exchange", "select-partner", id, "RWA"], as: "amani")
            #expect(try await session.ok(["exchange", "status", id], as: "amani").contains("waits for   partner-official of RWA: confirm, decline-invitation"))
            #expect(try await session.ok(["inbox"], as: "claire").contains("confirm"))
            #expect(try await session.ok(["inbox"], as: "amani") == "nothing waits for you\n")
            #expect(try await session.ok(["approve", id], as: "claire") == "exchange \(id): confirm; partner-confirmation → planning\n")

            let start = CalendarDay(Date().addingTimeInterval(40 * 86_400))
            let plan = """
                {"activities": [{"instrument": "study-visit", "title": "Reintegration centres", "start": "\(start)", "end": "\(start)",
                  "place": "Musanze, Rwanda", "participants": [{"name": "Amani", "institution": "UEPN", "country": "COD", "role": "visitor"}]}],
                 "budget": [{"category": "travel", "description": "Flights", "amount_minor": 1250000, "currency": "USD", "paid_by": "grant"}]}
                """
            before = try await footprint(database)
            let malformed = try await session.run(["exchange", "plan", "import", id,
                                                   try temporaryFile("plan.json", plan.replacingOccurrences(of: "1250000", with: "\"12,500.00\""))], as: "amani")
            #expect(malformed.status == 65, "\(malformed.standardError)")
            #expect(try await footprint(database) == before)
            try await session.ok(["exchange", "plan", "import", id, try temporaryFile("plan.json", plan)], as: "amani")
            // A fund whose policy lets the disbursing officer confirm a payment herself (a small secretariat).
            try await session.ok(["fund", "create", "rapid", "--name", "Rapid Response Fund", "--currency", "USD",
                                  "--iban", "DE89 3704 0044 0532 0130 00", "--allow-self-confirmation"], as: "ada")
            #expect(try await session.ok(["fund", "show", "rapid"], as: "ada").contains("the disbursing finance officer may confirm them (fund policy)"))
            try await session.ok(["fund", "contribute", "rapid", "--donor", "Donor A", "--amount", "100,000.00 USD", "--reference", "AGR-1"], as: "ada")
            try await session.ok(["exchange", "plan", "submit", id], as: "olga")

            let status = try await session.ok(["exchange", "status", id], as: "amani")
            #expect(status.contains("step        funding-review — Fund approvers decide on the grant"), "\(status)")
            #expect(status.contains("waits for   fund-approver: approve-grant, reject-grant (vote, 0 of 1 approvals)"), "\(status)")
            #expect(status.contains("(funding-overdue)"))
            let statusJSON = try #require(try json(try await session.ok(["exchange", "status", id, "--json"], as: "pm")) as? [String: Any])
            #expect(statusJSON["state"] as? String == "funding-review" && (statusJSON["recent"] as? [Any])?.count == 3)

            // The grant: its author may not approve it (separation of duties); fay can; disbursing needs bank details.
            before = try await footprint(database)
            let selfApproval = try await session.run(["approve", id], as: "olga")
            #expect(selfApproval.status == 1 && selfApproval.standardError.contains("approver-not-distinct"), "\(selfApproval.standardError)")
            #expect(try await footprint(database) == before)
            #expect(try await session.ok(["approve", id, "--comment", "fits the mandate"], as: "fay")
                == "exchange \(id): approve-grant; funding-review → disbursement\n")
            before = try await footprint(database)
            let wrongRole = try await session.run(["approve", id], as: "pm")
            #expect(wrongRole.status == 1 && wrongRole.standardError.contains("nothing to approve for pm in disbursement"), "\(wrongRole.standardError)")
            let disburse = try await session.run(["approve", id], as: "finn")
            #expect(disburse.status == 1 && disburse.standardError.contains("meridian disburse \(id)"), "\(disburse.standardError)")
            #expect(try await footprint(database) == before)
            let disbursed = try await session.ok(["disburse", id, "--beneficiary", "Ministry of Reintegration", "--iban", "GB82 WEST 1234 5698 7654 32",
                                                  "--json"], as: "finn")
            let instruction = try #require(try json(disbursed) as? [String: Any])
            try await session.ok(["payments", "export", "--output", try temporaryFile("pain001.xml", "")], as: "finn")
            try await session.ok(["payments", "mark", try #require(instruction["end_to_end_id"] as? String), "paid", "--reason", "bank statement"], as: "finn")
            try await fire(database, other, "pickup-overdue", actor: "timer")

            // Results: the report goes back with a comment (required), then is accepted — through the review's domain action.
            let report = """
                {"indicators": [{"name": "Former fighters with a livelihood", "actual": 27}],
                 "outcomes": [{"kind": "enhanced-skills", "description": "Case workers trained in community reintegration"}],
                 "lessons": ["Start with the communities."],
                 "feedback": {"requesting_country": "Useful.", "partner_country": "Glad to help."}}
                """
            let reportFile = try temporaryFile("report.json", report)
            try await session.ok(["exchange", "report", "submit", id, reportFile], as: "amani")
            before = try await footprint(database)
            #expect(try await session.run(["reject", id], as: "pm").status == 64, "a revision needs a comment")
            #expect(try await footprint(database) == before)
            #expect(try await session.ok(["reject", id, "--comment", "Add the partner's view"], as: "pm")
                == "exchange \(id): request-revision; results-review → implementation\n")
            try await session.ok(["exchange", "report", "submit", id, reportFile], as: "amani")
            #expect(try await session.ok(["approve", id], as: "pm") == "exchange \(id): accept-report; results-review → closed\n")
            #expect(try await session.ok(["exchange", "show", id], as: "amani").contains("revise by pm: Add the partner's view"))
            #expect(try await session.ok(["exchange", "status", id], as: "amani").contains("waits for   nobody: the exchange has ended"))

            let timeline = try await session.ok(["exchange", "timeline", id], as: "claire")
            #expect(timeline.contains("pm  accept  screening → matching  — \"complete and in mandate\""), "\(timeline)")
            #expect(timeline.contains("pm  request-info  screening → information-requested  — \"Which provinces?\""))
            #expect(timeline.contains("approve-grant (vote grant:approve) → grant-approved"))
            let lines = try #require(try json(try await session.ok(["exchange", "timeline", id, "--json"], as: "pm")) as? [[String: Any]])
            #expect(lines.contains { $0["kind"] as? String == "notification" })
            #expect(lines.first?["event"] as? String == "start")

            let portfolio = try #require(try json(try await session.ok(["portfolio", "--json"], as: "pm")) as? [String: Any])
            #expect(portfolio["exchanges"] as? Int == 2)
            #expect((portfolio["request_to_approval"] as? [String: Any])?["count"] as? Int == 1)
            #expect((portfolio["approval_to_payment"] as? [String: Any])?["count"] as? Int == 1)
            let late = try #require(portfolio["late"] as? [[String: Any]])
            #expect(late.count == 1 && late.first?["id"] as? String == other && late.first?["timer_event"] as? String == "pickup-overdue")
            let byCountry = try #require(portfolio["by_country"] as? [[String: Any]])
            #expect(Set(byCountry.compactMap { $0["key"] as? String }) == ["COD", "RWA"])
            let text = try await session.ok(["portfolio"], as: "pm")
            #expect(text.contains("by step              closed 1, submitted 1") && text.contains("by fund              (no grant yet) 1, rapid 1"), "\(text)")
            let own = try #require(try json(try await session.ok(["portfolio", "--json"], as: "foday")) as? [String: Any])
            #expect(own["exchanges"] as? Int == 0, "an official sees only her country's exchanges")

            try await session.ok(["exchange", "screen", other], as: "pm")
            #expect(try await session.ok(["reject", other, "--comment", "outside the fund's mandate"], as: "pm")
                == "exchange \(other): decline; screening → declined\n")
            #expect(try await session.ok(["inbox"], as: "pm") == "nothing waits for you\n")

            // A revoked token is refused.
            let tokens = try #require(try json(try await session.ok(["token", "list", "--user", "pm", "--json"], as: "ada")) as? [String: Any])
            let tokenID = try #require((tokens["tokens"] as? [[String: Any]])?.first?["id"])
            try await session.ok(["token", "revoke", "\(tokenID)"], as: "ada")
            let revoked = try await session.run(["inbox"], as: "pm")
            #expect(revoked.status == 77 && revoked.standardError.contains("was refused"), "\(revoked.standardError)")
        }
    }
}
