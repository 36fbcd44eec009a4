import Foundation
import HTTPTypes
import HummingbirdTesting
import MeridianCodes
import MeridianExchange
import MeridianIdentity
import MeridianService
import MeridianWeb
import PostgresNIO
import Testing

/// The conversation section of the exchange page (a multipart form with files) and signing in
/// with a one-time link, through the whole router with cookies as a browser keeps them.
@Suite struct WebConversationPagesTests {
    static let draft: [UInt8] = Array("%PDF-1.4 draft plan for Musanze".utf8)

    @Test func anOfficialWritesWithAFileAndThePartnerReadsAndDownloadsIt() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let e = "/exchanges/\(f.exchange.uuidString.lowercased())"
                let amani = PageBrowser(client)
                try await amani.signIn(f.tokens[.requestingOfficial]!)
                let page = try await amani.get(e)
                #expect(page.html.contains(#"enctype="multipart/form-data""#))
                #expect(PageChecks.problems(page.html) == [])

                let sent = try await amani.postMultipart("\(e)/messages", [("text", "Draft <b>plan</b> attached.\nSee page 2.")],
                                                         files: [("attachment", "plan draft.pdf", "application/pdf", Self.draft)], csrf: page.csrf)
                #expect(sent.status == 303 && sent.location == "\(e)?done=message#conversation")

                let claire = PageBrowser(client, language: "fr")
                try await claire.signIn(f.tokens[.partnerOfficial]!)
                let seen = try await claire.get(e)
                #expect(seen.html.contains("Conversation avec l’homologue"))
                #expect(seen.html.contains("Draft &lt;b&gt;plan&lt;/b&gt; attached.\nSee page 2."))
                #expect(seen.html.contains("amani</strong> (pays demandeur, COD)"))
                #expect(PageChecks.problems(seen.html) == [])
                let link = try #require(seen.html.range(of: #"/exchanges/[0-9a-f-]+/attachments/[0-9]+"#, options: .regularExpression).map { String(seen.html[$0]) })
                let file = try await claire.get(link)
                #expect(file.status == 200 && file.bytes == Self.draft)
                #expect(file.headers[.contentDisposition]?.hasPrefix(#"attachment; filename="plan draft.pdf""#) == true)
                #expect(file.headers[.contentType] == "application/pdf")

                // Another country's official: not found, for the page and the file alike.
                let foday = PageBrowser(client)
                try await foday.signIn(f.tokens[.otherOfficial]!)
                #expect(try await foday.get(link).status == 404)
                #expect(try await foday.postMultipart("\(e)/messages", [("text", "hello")], files: [], csrf: (try await foday.get("/exchanges")).csrf).status == 404)
                // Staff who take no part see the exchange without the conversation.
                let fay = PageBrowser(client)
                try await fay.signIn(f.tokens[.fundApprover]!)
                let staffPage = try await fay.get(e)
                #expect(staffPage.status == 200 && !staffPage.html.contains("id=\"conversation\""))
                #expect(try await fay.get(link).status == 403)
                // Turned away before the body is read: a body over the form's limit is refused
                // for who she is (403), not measured first (413).
                let oversized = [UInt8](repeating: 7, count: 16 * 1_024 * 1_024)  // over the form's limit (about 15.1 MiB)
                #expect(try await fay.postMultipart("\(e)/messages", [("text", "hello")], files: [("attachment", "big.bin", "application/octet-stream", oversized)],
                                                    csrf: staffPage.csrf).status == 403)
            }
        }
    }

    @Test func aRefusedMessageShowsItsProblemAndKeepsTheTextAndCSRFIsChecked() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let e = "/exchanges/\(f.exchange.uuidString.lowercased())"
                let amani = PageBrowser(client, language: "es")
                try await amani.signIn(f.tokens[.requestingOfficial]!)
                let page = try await amani.get(e)
                let cod = try await f.caller(.requestingOfficial)

                let empty = try await amani.postMultipart("\(e)/messages", [("text", "  ")], files: [], csrf: page.csrf)
                #expect(empty.status == 422 && empty.html.contains("Escriba un mensaje antes de enviarlo."))
                #expect(empty.html.contains(#"aria-invalid="true""#))
                let emptyFile = try await amani.postMultipart("\(e)/messages", [("text", "Kept <text>")],
                                                              files: [("attachment", "empty.pdf", "application/pdf", [])], csrf: page.csrf)
                #expect(emptyFile.status == 422 && emptyFile.html.contains(">Kept &lt;text&gt;</textarea>"))
                #expect(emptyFile.html.contains("Uno de los archivos está vacío"))
                let big = try await amani.postMultipart("\(e)/messages", [("text", "Scan")],
                                                        files: [("attachment", "scan.tif", "image/tiff", [UInt8](repeating: 1, count: ConversationRules.maxAttachmentBytes + 1))],
                                                        csrf: page.csrf)
                #expect(big.status == 422 && big.html.contains("5 MiB"))
                let noToken = try await amani.postMultipart("\(e)/messages", [("text", "forged")], files: [], csrf: nil)
                #expect(noToken.status == 403)
                #expect(try await f.service.messages(exchange: f.exchange, by: cod).isEmpty)
                // A form with no file chosen sends an empty file part, which is no attachment.
                let key = try #require(page.formKey)
                let plain = try await amani.postMultipart("\(e)/messages", [("text", "Sin archivo"), ("key", key)],
                                                          files: [("attachment", "", "application/octet-stream", [])], csrf: page.csrf)
                #expect(plain.status == 303)
                #expect(try await f.service.messages(exchange: f.exchange, by: cod).map(\.attachments.count) == [0])
                // The same form sent twice (a double click) is one message; another text from
                // the same page (Back, then a new message) is another.
                let again = try await amani.postMultipart("\(e)/messages", [("text", "Sin archivo"), ("key", key)],
                                                          files: [("attachment", "", "application/octet-stream", [])], csrf: page.csrf)
                #expect(again.status == 303)
                let next = try await amani.postMultipart("\(e)/messages", [("text", "Otro mensaje"), ("key", key)], files: [], csrf: page.csrf)
                #expect(next.status == 303)
                #expect(try await f.service.messages(exchange: f.exchange, by: cod).map(\.text) == ["Sin archivo", "Otro mensaje"])
            }
        }
    }

    @Test func aLongConversationKeepsThePageUnder100KB() async throws {
        try await ServiceFixture.with { f in
            let cod = try await f.caller(.requestingOfficial)
            for index in 0..<30 {
                _ = try await f.service.postMessage("\(index) " + String(repeating: "<&>", count: 1_300), exchange: f.exchange, by: cod)
            }
            try await f.withPages { client in
                let browser = PageBrowser(client)
                try await browser.signIn(f.tokens[.requestingOfficial]!)
                let page = try await browser.get("/exchanges/\(f.exchange.uuidString.lowercased())")
                #expect(PageChecks.problems(page.html) == [])
                #expect(page.html.contains("Earlier messages are not shown here"))
                #expect(page.html.contains("29 &lt;&amp;&gt;"))  // the latest is shown

                // The earlier messages, page by page back to the first: every one read exactly once.
                var seen = Self.messageNumbers(page.html)
                var next = Self.earlierLink(page.html)
                var pages = 0
                while let link = next, pages < 30 {
                    let earlier = try await browser.get(link)
                    #expect(earlier.status == 200, "\(link): \(earlier.status)")
                    #expect(PageChecks.problems(earlier.html) == [], "\(link)")
                    seen += Self.messageNumbers(earlier.html)
                    next = Self.earlierLink(earlier.html)
                    pages += 1
                }
                #expect(pages >= 1)
                #expect(seen.sorted() == Array(0..<30), "\(seen)")
                let first = try #require(Self.earlierLink(page.html))
                let french = PageBrowser(client, language: "fr")
                try await french.signIn(f.tokens[.partnerOfficial]!)
                let frenchPage = try await french.get(first)
                #expect(frenchPage.status == 200 && frenchPage.html.contains("Messages plus anciens de la conversation"))
                #expect(PageChecks.problems(frenchPage.html) == [])

                // A bad number, another country's official, staff outside the conversation.
                #expect(try await browser.get("/exchanges/\(f.exchange.uuidString.lowercased())/messages?before=x").status == 400)
                let foday = PageBrowser(client)
                try await foday.signIn(f.tokens[.otherOfficial]!)
                #expect(try await foday.get(first).status == 404)
                let fay = PageBrowser(client)
                try await fay.signIn(f.tokens[.fundApprover]!)
                #expect(try await fay.get(first).status == 403)
            }
        }
    }

    /// The numbers the test's messages start with, as a page lists them.
    static func messageNumbers(_ html: String) -> [Int] {
        html.components(separatedBy: #"<p class="message-text">"#).dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
    }

    /// The page's link to the messages before the ones it shows.
    static func earlierLink(_ html: String) -> String? {
        html.range(of: #"href="/exchanges/[0-9a-f-]+/messages\?before=[0-9]+"#, options: .regularExpression).map { String(html[$0].dropFirst(6)) }
    }

    // MARK: - One-time sign-in links

    @Test func aLinkShowsAButtonAndSignsInExactlyOnce() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let admin = try await f.caller(.admin)
                let invite = try await f.service.createInvite(for: "claire", lifetime: .seconds(3_600), by: admin)
                #expect(invite.path.hasPrefix("/sign-in/invite/") && invite.secret.count == 52)

                let browser = PageBrowser(client)
                let shown = try await browser.get(invite.path)
                #expect(shown.status == 200 && shown.html.contains(#"id="use-invite""#))
                #expect(shown.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(PageChecks.problems(shown.html) == [])
                // Looking again (a link previewer did) does not use it.
                #expect(try await PageBrowser(client).get(invite.path).status == 200)
                #expect(try await browser.post(invite.path, [], csrf: nil).status == 403)

                let used = try await browser.post(invite.path, [], csrf: shown.csrf)
                #expect(used.status == 303 && used.location == "/exchanges")
                #expect(used.setCookies.contains { $0.hasPrefix("mrd_session=") && $0.contains("HttpOnly") && $0.contains("SameSite=Strict") })
                let mine = try await browser.get("/exchanges")
                #expect(mine.status == 200 && mine.html.contains("Claire"))

                // Used: one clear page, in the visitor's language, for the page and the button alike.
                let again = PageBrowser(client, language: "pt")
                let gone = try await again.get(invite.path)
                #expect(gone.status == 410 && gone.html.contains("Este link de acesso não pode ser usado"))
                #expect(PageChecks.problems(gone.html) == [])
                let reused = try await again.post(invite.path, [], csrf: gone.csrf)
                #expect(reused.status == 410 && again.cookies["mrd_session"] == nil)
                // Unknown and malformed links read the same.
                #expect(try await again.get("/sign-in/invite/" + String(repeating: "a", count: 52)).status == 410)
                #expect(try await again.get("/sign-in/invite/%3Cscript%3E").status == 410)

                // Only the hash is stored.
                let stored = try await f.client.query("SELECT secret_hash, used_at IS NOT NULL FROM user_invites", logger: f.logger).collect()
                #expect(stored.count == 1)
                let (hash, wasUsed) = try stored[0].decode((String, Bool).self)
                #expect(hash != invite.secret && wasUsed)
            }
        }
    }

    @Test func anExpiredLinkOrADisabledUsersLinkOpensNothing() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let admin = try await f.caller(.admin)
                let expired = try await f.service.createInvite(for: "amani", lifetime: .seconds(60), by: admin)
                _ = try await f.client.query("UPDATE user_invites SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'", logger: f.logger)
                let browser = PageBrowser(client, language: "fr")
                let page = try await browser.get(expired.path)
                #expect(page.status == 410 && page.html.contains("Ce lien de connexion n’est pas utilisable"))
                #expect(try await browser.post(expired.path, [], csrf: page.csrf).status == 410)

                let forFoday = try await f.service.createInvite(for: "foday", lifetime: .seconds(3_600), by: admin)
                _ = try await f.service.identity(for: admin).disable(handle: "foday")
                let other = PageBrowser(client)
                let refused = try await other.get(forFoday.path)
                #expect(refused.status == 410)
                #expect(try await other.post(forFoday.path, [], csrf: refused.csrf).status == 410)
                #expect(other.cookies["mrd_session"] == nil)

                // A disabled user gets no new link, and a link dies with its user's session rules.
                await #expect { _ = try await f.service.createInvite(for: "dora", lifetime: .seconds(3_600), by: admin) } throws: {
                    ServiceError.classify($0)?.kind == .conflict
                }
                await #expect { _ = try await f.service.createInvite(for: "amani", lifetime: .seconds(3_600), by: try await f.caller(.programManager)) } throws: {
                    ServiceError.classify($0)?.kind == .forbidden
                }
                await #expect { _ = try await f.service.createInvite(for: "amani", lifetime: .seconds(31 * 86_400), by: admin) } throws: {
                    ServiceError.classify($0)?.kind == .invalidData
                }
            }
        }
    }

    @Test func aSessionOpenedByALinkEndsWhenItsUserIsDisabled() async throws {
        try await ServiceFixture.with { f in
            try await f.withPages { client in
                let admin = try await f.caller(.admin)
                let invite = try await f.service.createInvite(for: "amani", lifetime: .seconds(3_600), by: admin)
                let browser = PageBrowser(client)
                let shown = try await browser.get(invite.path)
                #expect(try await browser.post(invite.path, [], csrf: shown.csrf).status == 303)
                #expect(try await browser.get("/exchanges").status == 200)
                _ = try await f.service.identity(for: admin).disable(handle: "amani")
                #expect(try await browser.get("/exchanges").location == "/sign-in")
            }
        }
    }
}
