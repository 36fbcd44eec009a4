import Foundation
import HummingbirdTesting
import MeridianEngine
import MeridianExchange
import MeridianIdentity
import MeridianService
import MeridianShippedWorkflows
import PostgresNIO
@testable import MeridianWeb
import MeridianWorkflow
import Testing

/// The public knowledge base with the officials' feedback, the staff inbox, and the status bar
/// read from the workflow's `public-step` labels — through the whole router, as a browser would.
@Suite struct WebKnowledgeInboxTests {
    typealias Persona = ServiceFixture.Persona

    /// The first experience the fixture's exchange was matched with.
    static func matchedExperience(_ f: ServiceFixture) async throws -> Int {
        let round = try await f.service.matches(f.exchange, by: try await f.caller(.requestingOfficial))
        return try #require(round?.matches.first?.experienceID)
    }

    /// The first experience the fixture's exchange was matched with that cites a web address.
    static func matchedExperienceWithLink(_ f: ServiceFixture) async throws -> Int {
        let round = try await f.service.matches(f.exchange, by: try await f.caller(.requestingOfficial))
        return try #require(round?.matches.first { $0.sources.contains { $0.contains("https://") } }?.experienceID)
    }

    /// The listing is narrowed in the database: a sector or region filter finds the best of
    /// that sector, however many other experiences rank above it, and the count is the whole
    /// number (it used to filter the best 200 and count what it had loaded).
    @Test func theListingIsNarrowedAndCountedInTheDatabase() async throws {
        try await ServiceFixture.with { f in
            var generator = try SyntheticCatalogue(seed: 11)
            _ = try await ExperienceImporter.store(generator.experiences(600), client: f.client, logger: f.logger)
            for region in Region.allCases {
                let expected = try await f.client.query(
                    "SELECT count(*)::int8 FROM experiences WHERE search @@ websearch_to_tsquery('english', 'programme') AND region = \(region.rawValue)",
                    logger: f.logger).collect()[0].decode(Int.self)
                let found = try await f.service.browseExperiences("programme", sector: nil, region: region, limit: 30)
                #expect(found.total == expected && found.experiences.count == min(30, expected), "\(region): \(found.total) of \(expected)")
                #expect(found.experiences.allSatisfy { $0.region == region })
            }
            let all = try await f.service.browseExperiences("", sector: nil, region: nil, limit: 30)
            let rows = try await f.client.query("SELECT count(*)::int8 FROM experiences", logger: f.logger).collect()[0].decode(Int.self)
            #expect(all.total == rows && rows > 700 && all.experiences.count == 30)
            try await f.withPages { client in
                let page = try await PageBrowser(client).get("/knowledge?q=programme&region=south-asia")
                let expected = try await f.service.browseExperiences("programme", sector: nil, region: .southAsia, limit: 30).total
                #expect(expected > 30 && page.html.contains("30 of \(expected) shown"))
            }
        }
    }

    @Test func theKnowledgeBaseIsReadableWithoutSigningIn() async throws {
        try await ServiceFixture.with { f in
            let id = try await Self.matchedExperience(f)
            let imported = try await Self.importWithSummaries(f)
            try await f.withPages { client in
                let visitor = PageBrowser(client)
                let all = try await visitor.get("/knowledge")
                #expect(all.status == 200)
                #expect(PageChecks.problems(all.html) == [])
                #expect(all.html.contains(#"role="search""#) && all.html.contains("/knowledge/"))

                let found = try await visitor.get("/knowledge?q=reintegration+ex-combatants&sector=demobilisation-reintegration&region=sub-saharan-africa")
                #expect(found.status == 200)
                #expect(found.html.contains(#"<option value="demobilisation-reintegration" selected>"#))
                #expect(found.html.components(separatedBy: #"<article class="card">"#).count > 1)
                let none = try await visitor.get("/knowledge?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
                #expect(none.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !none.html.contains("<script>"))
                let bad = try await visitor.get("/knowledge?sector=astrology")
                #expect(bad.status == 400)
                #expect(bad.html.contains(#"aria-describedby="sector-problem""#))
                #expect(PageChecks.problems(bad.html) == [])

                let page = try await visitor.get("/knowledge/\(id)")
                #expect(page.status == 200)
                #expect(PageChecks.problems(page.html) == [])
                // A citation with its web address: the address is a link.
                let linked = try await visitor.get("/knowledge/\(try await Self.matchedExperienceWithLink(f))")
                #expect(linked.html.range(of: #"<li>[^<]+: <a href="https://[^"]+" rel="noopener noreferrer">"#, options: .regularExpression) != nil)
                // The weight and the cap of docs/knowledge-base.md, said where feedback is shown.
                #expect(page.html.contains("adds 0.05") && page.html.contains("±0.15") && page.html.contains("weighs 0.05"))
                #expect(!page.html.contains(#"id="give-feedback""#))
                #expect(page.html.contains(#"<a href="/sign-in">"#))
                let french = PageBrowser(client, language: "fr")
                let inFrench = try await french.get("/knowledge/\(id)")
                #expect(inFrench.html.contains("plafonné à ±0,15"))
                // Summaries: the page's language when the catalogue has it, else English, marked.
                let both = try await french.get("/knowledge/\(imported[0])")
                #expect(both.html.contains("<p>Des comités villageois arbitrent les litiges fonciers.</p>"))
                let english = try await french.get("/knowledge/\(imported[1])")
                #expect(english.html.contains(#"<p lang="en">Village committees settle land disputes. <span class="hint">(en anglais)</span></p>"#))
                let listed = try await french.get("/knowledge?q=Kivu+land+committees")
                #expect(listed.html.contains("Des comités villageois") && listed.html.contains("(en anglais)"))
                #expect(try await visitor.get("/knowledge/999999").status == 404)
                #expect(try await visitor.get("/knowledge/x").status == 404)
            }
        }
    }

    /// Two experiences with summaries (the seed has none): one in French and English, one in
    /// English only. Returns their ids.
    static func importWithSummaries(_ f: ServiceFixture) async throws -> [Int] {
        let record = { (programme: String, summary: String) in
            """
            {"country_code": "UGA", "country_name": "Uganda", "region": "sub-saharan-africa", "income_group": "low", "sectors": ["land-administration"],
             "programme": "\(programme)", "start_year": 2010, "end_year": 2015, "problem": "Land disputes in Kivu-like border districts.",
             "approach": "Village land committees heard claims.", "outcomes": "Fewer disputes reached the courts.", "outcome_strength": 1,
             "sources": ["Ministry report (2016)"], "summary": \(summary)}
            """
        }
        let json = "[" + record("Village land committees A", #"{"en": "Village committees settle land disputes.", "fr": "Des comités villageois arbitrent les litiges fonciers."}"#)
            + "," + record("Village land committees B", #"{"en": "Village committees settle land disputes."}"#) + "]"
        _ = try await f.service.importExperiences(Data(json.utf8), fileName: "summaries.json", format: .json, by: try await f.caller(.programManager))
        let all = try await f.service.experiences(country: "UGA")
        return try ["Village land committees A", "Village land committees B"].map { name in try #require(all.first { $0.programme == name }?.id) }
    }

    @Test func anOfficialWhoseExchangeWasMatchedGivesFeedbackOthersAreRefused() async throws {
        try await ServiceFixture.with { f in
            let id = try await Self.matchedExperience(f)
            let path = "/knowledge/\(id)"
            let exchange = f.exchange.uuidString.lowercased()
            try await f.withPages { client in
                let amani = PageBrowser(client)
                try await amani.signIn(f.tokens[.requestingOfficial]!)
                let page = try await amani.get(path)
                #expect(page.html.contains(#"id="give-feedback""#))
                #expect(page.html.contains(#"<option value="\#(exchange)" selected>"#))
                #expect(PageChecks.problems(page.html) == [])
                // Without the page's CSRF token nothing is recorded.
                let forged = try await amani.post("\(path)/feedback", [("exchange", exchange), ("useful", "no")], csrf: String(repeating: "0", count: 64))
                #expect(forged.status == 403)
                #expect(try await f.service.feedback(on: id).isEmpty)

                let given = try await amani.post("\(path)/feedback", [("exchange", exchange), ("useful", "no"), ("comment", "<b>Too far</b> from our context")],
                                                 csrf: page.csrf)
                #expect(given.location == "\(path)?done=feedback#feedback-heading")
                let after = try await amani.get(String(given.location!.prefix { $0 != "#" }))
                #expect(after.html.contains("&lt;b&gt;Too far&lt;/b&gt; from our context"))
                #expect(after.html.contains("<strong>Not useful</strong> · amani"))
                #expect(after.html.contains("Your feedback was recorded"))
                #expect(try await f.service.feedback(on: id).map(\.useful) == [false])

                // The partner country's official and a program manager see no form, and their
                // POST is refused in their language with nothing changed; another country's
                // official is told the exchange does not exist, as on every route.
                for (persona, language, status, message) in [(Persona.partnerOfficial, "fr", 403, "Vos rôles ne permettent pas"),
                                                             (.otherOfficial, "es", 404, "Esa página o intercambio no existe"),
                                                             (.programManager, "pt", 403, "As suas funções não permitem")] {
                    let other = PageBrowser(client, language: language)
                    try await other.signIn(f.tokens[persona]!)
                    let seen = try await other.get(path)
                    #expect(!seen.html.contains(#"id="give-feedback""#))
                    let refused = try await other.post("\(path)/feedback", [("exchange", exchange), ("useful", "yes")], csrf: seen.csrf)
                    #expect(refused.status == status, "\(persona)")
                    #expect(refused.html.contains(#"<html lang="\#(language)">"#) && refused.html.contains(message), "\(refused.html)")
                }
                #expect(try await f.service.feedback(on: id).map(\.useful) == [false])
                // Signed out, the form's address asks to sign in.
                let anonymous = PageBrowser(client)
                let signIn = try await anonymous.get("/sign-in")
                #expect(try await anonymous.post("\(path)/feedback", [("exchange", exchange), ("useful", "yes")], csrf: signIn.csrf).location == "/sign-in")
            }
        }
    }

    /// The feedback form's verdict for every persona is the service matrix's (403 where it
    /// says forbidden), and what the page offers follows it.
    @Test func theFeedbackFormAgainstEveryPersona() async throws {
        try await ServiceFixture.with { f in
            let id = try await Self.matchedExperience(f)
            let action = try #require(AuthorizationMatrixTests.actions.first { $0.name == "give feedback on a matched experience" })
            let exchange = f.exchange.uuidString.lowercased()
            try await f.withPages { client in
                var mismatches: [String] = []
                for persona in AuthorizationMatrixTests.people {
                    let browser = PageBrowser(client)
                    try await browser.signIn(f.tokens[persona]!)
                    let page = try await browser.get("/knowledge/\(id)")
                    let answer = try await browser.post("/knowledge/\(id)/feedback", [("exchange", exchange), ("useful", "yes")], csrf: page.csrf)
                    let verdict: AuthorizationMatrixTests.Verdict = answer.status == 403 ? .forbidden : answer.status == 303 ? .allowed : .hidden
                    let offered = page.html.contains(#"id="give-feedback""#)
                    if verdict != action.expected[persona] || offered != (verdict == .allowed) {
                        mismatches.append("\(persona.rawValue): \(answer.status), form \(offered), expected \(action.expected[persona]!.rawValue)")
                    }
                }
                #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
            }
        }
    }

    /// A program manager takes a request into screening and approves it from the inbox; an
    /// approver who wrote the plan is refused in her language; a form sent twice decides once.
    @Test func theInboxDecidesUnderTheCLIsRules() async throws {
        try await ServiceFixture.with { f in
            let admin = try await f.caller(.admin)
            _ = try await f.service.identity(for: admin).addUser(handle: "olga", name: "Olga Both", roles: [.official, .fundApprover], country: "COD")
            let olgaToken = try await f.service.identity(for: admin).createToken(for: "olga", label: "test", expiresAt: nil).secret
            let olga = try await f.service.authenticate(token: olgaToken)
            let id = try await f.service.fileRequest(ServiceFixture.ddrRequest, key: nil, by: olga).exchangeID
            let item = id.uuidString.lowercased()
            try await f.withPages { client in
                let pat = PageBrowser(client)
                try await pat.signIn(f.tokens[.programManager]!)
                let inbox = try await pat.get("/inbox")
                #expect(PageChecks.problems(inbox.html) == [])
                #expect(inbox.html.contains(#"href="/inbox""#))
                #expect(inbox.html.contains(#"id="screen-\#(item)""#))
                let key = try #require(inbox.html.range(of: #"name="key" value="[0-9a-f-]{36}""#, options: .regularExpression).map { String(inbox.html[$0].dropFirst(18).dropLast()) })
                let screened = try await pat.post("/inbox/\(item)/screen", [("key", key)], csrf: inbox.csrf)
                #expect(screened.location == "/inbox?done=screen")
                #expect(try await f.service.engine.instance(id).state == "screening")
                let screening = try await pat.get("/inbox")
                #expect(screening.html.contains(#"id="request-info-\#(item)""#))
                let approved = try await pat.post("/inbox/\(item)/decide", [("verb", "approve"), ("comment", "in mandate"), ("key", UUID().uuidString)],
                                                  csrf: screening.csrf)
                #expect(approved.location == "/inbox?done=approve")
                #expect(try await f.service.engine.instance(id).state == "matching")
            }
            // The rest of the way to funding through the service, the plan written by Olga.
            let pm = try await f.caller(.programManager)
            try await ServiceFixture.runTasks(f.service, client: f.client, logger: f.logger)
            _ = try await f.service.decide(.approve, exchange: id, comment: "good matches", key: nil, by: pm)
            _ = try await f.service.selectPartner("RWA", exchange: id, key: nil, by: olga)
            try await ServiceFixture.runTasks(f.service, client: f.client, logger: f.logger)
            _ = try await f.service.confirmPartnership(id, key: nil, by: try await f.caller(.partnerOfficial))
            _ = try await f.service.importPlan(ServiceFixture.plan, exchange: id, by: olga)
            _ = try await f.service.submitPlan(id, key: nil, by: olga)
            #expect(try await f.service.engine.instance(id).state == "funding-review")

            try await f.withPages { client in
                let browser = PageBrowser(client, language: "es")
                try await browser.signIn(olgaToken)
                let inbox = try await browser.get("/inbox")
                #expect(!inbox.html.contains(#"id="approve-\#(item)""#))  // not offered: she wrote the plan
                let refused = try await browser.post("/inbox/\(item)/decide", [("verb", "approve"), ("key", UUID().uuidString)], csrf: inbox.csrf)
                #expect(refused.location == "/inbox?problem=refused&item=\(item)#item-\(item)")
                let told = try await browser.get("/inbox?problem=refused&item=\(item)")
                #expect(told.html.contains("Esta decisión no le corresponde aquí"))
                // Said once, above the list: the other items do not repeat it.
                #expect(told.html.components(separatedBy: "Esta decisión no le corresponde aquí").count == 2, "\(told.html)")
                #expect(try await f.service.engine.instance(id).state == "funding-review")

                // The fixture's exchange: Fay approves, and the same form sent twice decides once.
                let fay = PageBrowser(client)
                try await fay.signIn(f.tokens[.fundApprover]!)
                let hers = try await fay.get("/inbox")
                let fixture = f.exchange.uuidString.lowercased()
                #expect(hers.html.contains(#"id="approve-\#(fixture)""#))
                let key = UUID().uuidString
                let first = try await fay.post("/inbox/\(fixture)/decide", [("verb", "approve"), ("key", key)], csrf: hers.csrf)
                #expect(first.location == "/inbox?done=approve")
                let entries = try await f.service.engine.history(of: f.exchange).count
                let again = try await fay.post("/inbox/\(fixture)/decide", [("verb", "approve"), ("key", key)], csrf: hers.csrf)
                #expect(again.location == "/inbox?done=approve")
                #expect(try await f.service.engine.history(of: f.exchange).count == entries)
                // Back and another button of the same form: not answered with the approval's replay.
                let otherVerb = try await fay.post("/inbox/\(fixture)/decide", [("verb", "reject"), ("key", key)], csrf: hers.csrf)
                #expect(otherVerb.location?.contains("problem=") == true, "\(String(describing: otherVerb.location))")
                #expect(try await f.service.engine.history(of: f.exchange).count == entries)
                // A comment past 2,000 characters is said next to the item; nothing is decided.
                let long = try await fay.post("/inbox/\(item)/decide", [("verb", "reject"), ("comment", String(repeating: "x", count: 2_001))], csrf: hers.csrf)
                #expect(long.location == "/inbox?problem=comment&item=\(item)#item-\(item)")
                #expect(try await f.service.engine.instance(id).state == "funding-review")
            }
        }
    }

    /// The knowledge base and the inbox in French, Spanish and Portuguese: no missing key, no
    /// English message outside what the catalogue, people and the workflow's authors wrote.
    @Test func theNewPagesHoldNoEnglishInOtherLanguages() async throws {
        try await ServiceFixture.with { f in
            let id = try await Self.matchedExperience(f)
            let english = try WebMessages.load().table(.en)
            try await f.withPages { client in
                for language in ["fr", "es", "pt"] {
                    let target = try WebMessages.load().table(WebLanguage(rawValue: language)!)
                    let anonymous = PageBrowser(client, language: language)
                    let amani = PageBrowser(client, language: language)
                    try await amani.signIn(f.tokens[.requestingOfficial]!)
                    let fay = PageBrowser(client, language: language)
                    try await fay.signIn(f.tokens[.fundApprover]!)
                    let pages = [try await anonymous.get("/knowledge"), try await anonymous.get("/knowledge?q=reintegration&region=sub-saharan-africa"),
                                 try await anonymous.get("/knowledge/\(id)"), try await amani.get("/knowledge/\(id)"),
                                 try await fay.get("/inbox"), try await amani.get("/inbox")]
                    for page in pages {
                        #expect(page.html.contains(#"<html lang="\#(language)">"#))
                        #expect(!page.html.contains("⟦"))
                        let chrome = Self.withoutWrittenText(page.html)
                        for (key, value) in english where !key.hasPrefix("lang_") && value != target[key] && value.count >= 4 {
                            #expect(!WebPagesTests.containsWord(chrome, value), "\(language): English '\(value)' (\(key))")
                        }
                    }
                }
            }
        }
    }

    /// The page without what the catalogue (programmes, summaries, records, sources), people
    /// (goals, comments) and the workflow's authors (state descriptions, marked `lang="en"`) wrote.
    static func withoutWrittenText(_ html: String) -> String {
        var text = WebPagesTests.withoutPeoplesText(html)
        for pattern in [#"<title>[\s\S]*?</title>"#, #"<h1>[\s\S]*?</h1>"#, #"<section aria-labelledby="(record|sources)-heading">[\s\S]*?</section>"#,
                        #"<[a-z]+[^>]*lang="en"[^>]*>[\s\S]*?</[a-z]+>"#, #"<option value="[0-9a-f-]{36}"[^>]*>[^<]*</option>"#,
                        #"<h2 id="item-[^"]*-heading">[\s\S]*?</h2>"#] {
            text = text.replacingOccurrences(of: pattern, with: "", options: .regularExpression)
        }
        return text
    }

    /// The pages' own table (for versions without labels) and the shipped definition's labels
    /// agree, so the inbox and the timeline, which read the table, say the same as the bar.
    @Test func theShippedLabelsAgreeWithThePagesTable() throws {
        let loader = try WorkflowLoader(registry: WorkflowRegistry(tasks: [], guards: []))
        let result = loader.load(contentsOf: ShippedWorkflows.url(named: "knowledge-exchange"), label: "knowledge-exchange")
        let definition = try #require(result.definition)
        for state in definition.states {
            #expect(PublicStep.table[state.id]?.rawValue == state.publicStep, "\(state.id)")
            #expect(PublicStep.of(state: state.id, label: state.publicStep) != nil)
        }
        #expect(PublicStep.allCases.map(\.rawValue) == StateDefinition.publicSteps)
        // A label wins over the table; an unknown one falls back to it.
        #expect(PublicStep.of(state: "submitted", label: "screening") == .screening)
        #expect(PublicStep.of(state: "submitted", label: "nowhere") == .request)
    }

    /// The status bar shows the step the definition names (`public-step`), not the pages' old
    /// table: a version that labels `submitted` as screening puts new exchanges there.
    @Test func theStatusBarUsesTheDefinitionsPublicStep() async throws {
        try await ServiceFixture.with { f in
            let shipped = try String(contentsOf: ShippedWorkflows.url(named: "knowledge-exchange"), encoding: .utf8)
            let relabelled = shipped.replacingOccurrences(of: #"version="3""#, with: #"version="4""#)
                .replacingOccurrences(of: #"<state id="submitted" public-step="request">"#, with: #"<state id="submitted" public-step="screening">"#)
            #expect(relabelled != shipped)
            _ = try await f.service.engine.deploy([WorkflowEngine.DefinitionFile(name: "knowledge-exchange.xml", bytes: Array(relabelled.utf8))])
            let amani = try await f.caller(.requestingOfficial)
            let id = try await f.service.fileRequest(ServiceFixture.ddrRequest, key: nil, by: amani).exchangeID
            #expect(try await f.service.status(id, by: amani).publicStep == "screening")
            try await f.withPages { client in
                let browser = PageBrowser(client)
                try await browser.signIn(f.tokens[.requestingOfficial]!)
                let page = try await browser.get("/exchanges/\(id.uuidString.lowercased())")
                #expect(page.html.contains(#"aria-current="step">Screening<"#))
                let list = try await browser.get("/exchanges")
                // The new exchange (v4) at screening, the fixture's (v3) at funding.
                #expect(list.html.contains(#"aria-current="step">Screening<"#) && list.html.contains(#"aria-current="step">Funding<"#))
            }
            let summaries = try await f.service.listExchanges(by: amani)
            #expect(summaries.first { $0.id == id }?.publicStep == "screening")
            #expect(summaries.first { $0.id == f.exchange }?.publicStep == "funding")
            // The timeline and the inbox name the step from the definition too, not the table.
            #expect(try await f.service.timeline(id, by: amani).last { $0.kind == .step }?.publicStep == "screening")
            #expect(try await f.service.timeline(f.exchange, by: amani).last { $0.kind == .step }?.publicStep == "funding")
            let manager = try await f.caller(.programManager)
            #expect(try await f.service.inbox(by: manager).first { $0.id == id }?.publicStep == "screening")
            try await f.withPages { client in
                let browser = PageBrowser(client)
                try await browser.signIn(f.tokens[.requestingOfficial]!)
                let page = try await browser.get("/exchanges/\(id.uuidString.lowercased())")
                #expect(page.html.contains("</td><td>Screening</td>"), "the timeline's line into submitted")
                let pm = PageBrowser(client)
                try await pm.signIn(f.tokens[.programManager]!)
                let inbox = try await pm.get("/inbox")
                let item = try #require(inbox.html.range(of: id.uuidString.lowercased()).map { String(inbox.html[$0.lowerBound...].prefix(2_000)) })
                #expect(item.contains("<dd>Screening"), "\(item)")
            }
        }
    }
}
