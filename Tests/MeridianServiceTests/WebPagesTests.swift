import Foundation
import HTTPTypes
import HummingbirdTesting
import MeridianEngine
import MeridianExchange
import MeridianService
import MeridianWeb
import PostgresNIO
import Testing

/// The officials' pages through the whole router, with cookies as a browser keeps them: sign-in,
/// CSRF, escaping, another country's exchange, the request form, the partner's choice and
/// answer, and the four languages.
@Suite struct WebPagesTests {
    typealias Persona = ServiceFixture.Persona

    @Test func signingInSetsAStrictHttpOnlyCookieAndSigningOutEndsIt() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let browser = PageBrowser(client)
                #expect(try await browser.get("/exchanges").location == "/sign-in")

                let wrong = try await browser.signIn("mrd_" + String(repeating: "a", count: 52))
                #expect(wrong.status == 401)
                #expect(wrong.html.contains("That token was not accepted"))
                #expect(browser.cookies["mrd_session"] == nil)

                let revoked = try await browser.signIn(f.tokens[.revokedToken]!)
                #expect(revoked.status == 401)

                let answer = try await browser.signIn(f.tokens[.requestingOfficial]!)
                #expect(answer.status == 303 && answer.location == "/exchanges")
                let cookie = try #require(answer.setCookies.first { $0.hasPrefix("mrd_session=") })
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Max-Age=28800"))
                #expect(!cookie.contains("Secure"))
                #expect(!cookie.contains(f.tokens[.requestingOfficial]!))

                let list = try await browser.get("/exchanges")
                #expect(list.status == 200)
                #expect(list.html.contains("Lasting peace in the eastern provinces"))
                #expect(PageChecks.problems(list.html) == [])

                let secret = browser.cookies["mrd_session"]!
                let out = try await browser.post("/sign-out", [], csrf: list.csrf)
                #expect(out.location == "/sign-in?signed-out=1")
                browser.cookies["mrd_session"] = secret  // a copied cookie no longer opens anything
                #expect(try await browser.get("/exchanges").location == "/sign-in")
                // A page left open after its session ended: Sign out signs out, no expired-form page.
                let late = try await browser.post("/sign-out", [], csrf: list.csrf)
                #expect(late.location == "/sign-in?signed-out=1", "\(late.status)")
                // With a live session, a form without its token still changes nothing.
                try await browser.signIn(f.tokens[.requestingOfficial]!)
                #expect(try await browser.post("/sign-out", [], csrf: nil).status == 403)
                #expect(try await browser.get("/exchanges").status == 200)
                // Signing in again over a live session (another tab, another person's token)
                // ends the session before it: its cookie opens nothing any more.
                let previous = try #require(browser.cookies["mrd_session"])
                let signedIn = try await browser.get("/exchanges")
                let over = try await browser.post("/sign-in", [("token", f.tokens[.partnerOfficial]!)], csrf: signedIn.csrf)
                #expect(over.location == "/exchanges" && browser.cookies["mrd_session"] != previous)
                #expect(try await browser.get("/exchanges").status == 200)
                browser.cookies["mrd_session"] = previous
                #expect(try await browser.get("/exchanges").location == "/sign-in")
            }
        }
    }

    /// When the session cannot be read (here its table is gone; in life the database is
    /// unreachable), the visitor still gets a page in her language, not the API's problem document.
    @Test func aSessionThatCannotBeReadGivesATranslatedErrorPage() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let claire = PageBrowser(client, language: "fr")
                try await claire.signIn(f.tokens[.partnerOfficial]!)
                try await f.service.client.query("ALTER TABLE web_sessions RENAME TO web_sessions_away", logger: f.logger)
                let page = try await claire.get("/exchanges")
                try await f.service.client.query("ALTER TABLE web_sessions_away RENAME TO web_sessions", logger: f.logger)
                #expect(page.status == 500)
                #expect(page.headers[.contentType]?.hasPrefix("text/html") == true, "\(String(describing: page.headers[.contentType]))")
                #expect(page.html.contains("Cela n’a pas fonctionné") && page.html.contains("Une erreur inattendue"), "\(page.html.prefix(400))")
                #expect(PageChecks.problems(page.html) == [])
                #expect(try await claire.get("/exchanges").status == 200, "the same session once the table is back")
            }
        }
    }

    /// A form larger than the server takes is told as such (413, translated), not as a failure.
    @Test func aFormTooLargeIsRefusedWithItsOwnPage() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let ana = PageBrowser(client, language: "es")
                try await ana.signIn(f.tokens[.requestingOfficial]!)
                let form = try await ana.get("/exchanges/new")
                let page = try await ana.post("/exchanges/new", [("goal", String(repeating: "é", count: 200_000))], csrf: form.csrf)
                #expect(page.status == 413 && page.html.contains("1 MiB") && page.html.contains("Acorte los textos"), "\(page.status)")
                #expect(PageChecks.problems(page.html) == [])
            }
        }
    }

    @Test func aFormWithoutTheRightCSRFTokenChangesNothing() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let browser = PageBrowser(client)
                try await browser.signIn(f.tokens[.requestingOfficial]!)
                let cod = try await f.caller(.requestingOfficial)
                let before = try await f.service.listExchanges(by: cod).count
                for csrf in [nil, "0" + String(repeating: "f", count: 63)] as [String?] {
                    let refused = try await browser.post("/exchanges/new", Self.validForm(goal: "Lasting peace through reintegration"), csrf: csrf)
                    #expect(refused.status == 403)
                    #expect(refused.html.contains("did not come from this site"))
                }
                // Signing in needs the anonymous token too.
                let other = PageBrowser(client)
                #expect(try await other.post("/sign-in", [("token", f.tokens[.requestingOfficial]!)], csrf: nil).status == 403)
                #expect(try await f.service.listExchanges(by: cod).count == before)
            }
        }
    }

    @Test func whatPeopleWroteShowsAsTextAndAnotherCountrysExchangeIsNotFound() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let browser = PageBrowser(client)
                try await browser.signIn(f.tokens[.requestingOfficial]!)
                let form = try await browser.get("/exchanges/new")
                #expect(PageChecks.problems(form.html) == [])
                let filed = try await browser.post("/exchanges/new", Self.validForm(goal: "<script>alert(1)</script> lasting peace"), csrf: form.csrf)
                #expect(filed.status == 303)
                let location = try #require(filed.location)
                #expect(location.hasSuffix("?done=filed"))
                let page = try await browser.get(location)
                #expect(page.status == 200)
                #expect(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; lasting peace"))
                #expect(!page.html.contains("<script"))
                #expect(PageChecks.problems(page.html) == [])

                let stranger = PageBrowser(client, language: "fr")
                try await stranger.signIn(f.tokens[.otherOfficial]!)
                let hidden = try await stranger.get("/exchanges/\(f.exchange.uuidString.lowercased())")
                #expect(hidden.status == 404)
                #expect(hidden.html.contains("Introuvable"))
                #expect(!hidden.html.contains("Lasting peace"))
                #expect(try await stranger.get("/exchanges/not-an-id").status == 404)
                let list = try await stranger.get("/exchanges")
                #expect(!list.html.contains("Lasting peace") && !list.html.contains("alert(1)"))
            }
        }
    }

    @Test func anInvalidRequestComesBackWithEachProblemAtItsFieldAndTheInputKept() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let browser = PageBrowser(client, language: "es")
                try await browser.signIn(f.tokens[.requestingOfficial]!)
                let form = try await browser.get("/exchanges/new")
                var fields = Self.validForm(goal: "short")
                fields.removeAll { $0.0 == "instruments" }
                fields = fields.map { $0.0 == "indicator0_target" ? ($0.0, "doce") : $0 }
                let answer = try await browser.post("/exchanges/new", fields, csrf: form.csrf)
                #expect(answer.status == 422)
                #expect(answer.html.contains(#"<p class="problem" id="development_goal-problem">Demasiado corto"#))
                #expect(answer.html.contains(#"<p class="problem" id="instruments-problem">Elija al menos uno."#))
                #expect(answer.html.contains(#"<p class="problem" id="indicator0-problem">Escriba un número"#))
                #expect(answer.html.contains(#"value="doce""#))
                #expect(answer.html.contains(#"value="demobilisation-reintegration" checked"#))
                #expect(answer.html.contains("The national commission cannot reintegrate"))
                #expect(PageChecks.problems(answer.html) == [])
            }
        }
    }

    /// The form carries a key: sent twice (a double click, Back and send again) it files once,
    /// and a form that came back with problems keeps its key.
    @Test func theRequestFormSentTwiceFilesOnce() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let browser = PageBrowser(client)
                try await browser.signIn(f.tokens[.requestingOfficial]!)
                let form = try await browser.get("/exchanges/new")
                let key = try #require(form.html.firstMatch(of: /name="key" value="([0-9a-f-]{36})"/).map { String($0.1) })
                let refused = try await browser.post("/exchanges/new", Self.validForm(goal: "short") + [("key", key)], csrf: form.csrf)
                #expect(refused.status == 422 && refused.html.contains(#"name="key" value="\#(key)""#))
                let cod = try await f.caller(.requestingOfficial)
                let before = try await f.service.listExchanges(by: cod).count
                let fields = Self.validForm(goal: "Lasting peace through reintegration in the east") + [("key", key)]
                let first = try await browser.post("/exchanges/new", fields, csrf: form.csrf)
                let second = try await browser.post("/exchanges/new", fields, csrf: form.csrf)
                #expect(first.status == 303 && second.location == first.location, "\(String(describing: first.location)) \(String(describing: second.location))")
                #expect(try await f.service.listExchanges(by: cod).count == before + 1)
            }
        }
    }

    /// An official files through the form; the desk screens and matching runs; she chooses
    /// the partner among the matches; the partner's official confirms on his page.
    @Test func fileChooseThePartnerAndConfirm() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let amani = PageBrowser(client)
                try await amani.signIn(f.tokens[.requestingOfficial]!)
                let form = try await amani.get("/exchanges/new")
                let filed = try await amani.post("/exchanges/new", Self.validForm(goal: "Lasting peace after the war in the east"), csrf: form.csrf)
                let path = String(try #require(filed.location).prefix { $0 != "?" })
                let id = try #require(UUID(uuidString: String(path.dropFirst("/exchanges/".count))))

                let pm = try await f.caller(.programManager)
                _ = try await f.service.startScreening(id, key: nil, by: pm)
                _ = try await f.service.decide(.approve, exchange: id, comment: "in mandate", key: nil, by: pm)
                try await ServiceFixture.runTasks(f.service, client: f.client, logger: f.logger)
                _ = try await f.service.decide(.approve, exchange: id, comment: "good matches", key: nil, by: pm)

                let withMatches = try await amani.get(path)
                #expect(withMatches.html.contains(#"id="choose-RWA""#))
                #expect(withMatches.html.contains(#"aria-current="step">Partner<"#))
                #expect(withMatches.html.components(separatedBy: "<article class=\"card\"").count - 1 == 5)
                #expect(PageChecks.problems(withMatches.html) == [])
                let key = try #require(withMatches.formKey)
                let chosen = try await amani.post("\(path)/partner", [("country", "RWA"), ("key", key)], csrf: withMatches.csrf)
                #expect(chosen.location == "\(path)?done=partner")
                try await ServiceFixture.runTasks(f.service, client: f.client, logger: f.logger)
                // The same form sent again (a reload, a double click) has its first answer, and
                // chooses once; another choice from the same page, or a form without its key,
                // is refused as the state moved on.
                let resent = try await amani.post("\(path)/partner", [("country", "RWA"), ("key", key)], csrf: withMatches.csrf)
                #expect(resent.location == "\(path)?done=partner")
                #expect(try await f.service.engine.history(of: id).filter { $0.event == "select-partner" }.count == 1)
                let other = try await amani.post("\(path)/partner", [("country", "SLE"), ("key", key)], csrf: withMatches.csrf)
                #expect(other.status == 409 || other.status == 422)
                let again = try await amani.post("\(path)/partner", [("country", "RWA")], csrf: withMatches.csrf)
                #expect(again.status == 409 || again.status == 422)

                let claire = PageBrowser(client, language: "pt")
                try await claire.signIn(f.tokens[.partnerOfficial]!)
                let invited = try await claire.get(path)
                #expect(invited.html.contains("O seu país foi convidado a ser o parceiro"))
                #expect(PageChecks.problems(invited.html) == [])
                let empty = try await claire.post("\(path)/decline", [("reason", "  ")], csrf: invited.csrf)
                #expect(empty.location == "\(path)?problem=reason#reason")
                let confirmKey = try #require(invited.formKey)
                let confirmed = try await claire.post("\(path)/confirm", [("key", confirmKey)], csrf: invited.csrf)
                #expect(confirmed.location == "\(path)?done=confirmed")
                let reconfirmed = try await claire.post("\(path)/confirm", [("key", confirmKey)], csrf: invited.csrf)
                #expect(reconfirmed.location == "\(path)?done=confirmed")
                #expect(try await f.service.engine.history(of: id).filter { $0.event == "confirm" }.count == 1)
                #expect(try await f.service.engine.instance(id).state == "planning")
                let after = try await claire.get(confirmed.location!)
                #expect(after.html.contains("Confirmou a parceria."))
            }
        }
    }

    /// On a French, Spanish or Portuguese page no English message appears (outside what people
    /// and the knowledge base wrote), and no key is missing; the switcher keeps the choice in
    /// the session.
    @Test func pagesInFrenchSpanishAndPortugueseHoldNoEnglish() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let messages = try WebMessages.load()
                let english = messages.table(.en)
                let e = "/exchanges/\(f.exchange.uuidString.lowercased())"
                for language in [WebLanguage.fr, .es, .pt] {
                    let browser = PageBrowser(client)
                    let signInPage = try await browser.get("/sign-in")
                    let switched = try await browser.post("/language", [("language", language.rawValue), ("back", "/sign-in")], csrf: signInPage.csrf)
                    #expect(switched.location == "/sign-in")
                    try await browser.signIn(f.tokens[.requestingOfficial]!)
                    let target = messages.table(language)
                    var pages = [try await browser.get("/sign-in?x"), try await browser.get("/exchanges"), try await browser.get(e),
                                 try await browser.get("/exchanges/new"), try await browser.get("/exchanges/00000000-0000-0000-0000-000000000000")]
                    let out = PageBrowser(client, language: language.rawValue)
                    pages.append(try await out.get("/sign-in"))
                    pages.append(try await out.signIn("mrd_nonsense"))
                    for page in pages {
                        #expect(page.html.contains(#"<html lang="\#(language.rawValue)">"#) || page.status == 303)
                        #expect(!page.html.contains("⟦"))
                        let chrome = Self.withoutPeoplesText(page.html)
                        for (key, value) in english where !key.hasPrefix("lang_") && value != target[key] && value.count >= 4 {
                            #expect(!Self.containsWord(chrome, value), "\(language): English '\(value)' (\(key))")
                        }
                    }
                }
            }
        }
    }

    /// The page minus what people and the knowledge base wrote (the matches' texts, the
    /// fixture's request and comments, people's names): the part that must be in the page's language.
    static func withoutPeoplesText(_ html: String) -> String {
        var text = html.replacingOccurrences(of: #"<article class="card"[\s\S]*?</article>"#, with: "", options: .regularExpression)
        let request = ServiceFixture.ddrRequest
        let written = [request.developmentGoal, request.institutionalChallenge, request.changeObjective, request.countryName ?? "",
                       "in mandate", "good matches", "Former fighters with a livelihood"] + request.indicators.map(\.name)
        for piece in written where !piece.isEmpty { text = text.replacingOccurrences(of: piece, with: "") }
        return text
    }

    /// Whether `text` holds `phrase` not inside a longer word ("Unit" is not in "Unité").
    static func containsWord(_ text: String, _ phrase: String) -> Bool {
        let pattern = #"(?<!\p{L})"# + NSRegularExpression.escapedPattern(for: phrase) + #"(?!\p{L})"#
        return text.range(of: pattern, options: .regularExpression) != nil
    }

    static func validForm(goal: String) -> [(String, String)] {
        [("country_name", "DR Congo"), ("region", "sub-saharan-africa"), ("income_group", "low"),
         ("development_goal", goal),
         ("institutional_challenge", "The national commission cannot reintegrate demobilised ex-combatants and former fighters into their communities"),
         ("change_objective", "Design a community-based reintegration programme with livelihood support for former fighters"),
         ("sectors", "demobilisation-reintegration"), ("sectors", "peacebuilding"), ("instruments", "study-visit"),
         ("indicator0_name", "Former fighters with a livelihood"), ("indicator0_unit", "%"), ("indicator0_baseline", "12"), ("indicator0_target", "40")]
    }
}
