import Foundation
import HTTPTypes
import HummingbirdTesting
import MeridianCodes
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianService
import MeridianTestSupport
import MeridianWeb
import Testing

/// The plan, grant and results report pages through the whole router: the plan written in its
/// form or uploaded as the CLI's file, each problem at its row with the input kept and nothing
/// stored; the plan submitted; the grant's amounts and payment states without bank details;
/// the results report form; another country's exchange not found.
@Suite struct WebPlansTests {
    /// A new exchange of DR Congo walked through the service to planning, Rwanda confirmed.
    static func exchangeInPlanning(_ f: ServiceFixture) async throws -> UUID {
        let cod = try await f.caller(.requestingOfficial), rwa = try await f.caller(.partnerOfficial), pm = try await f.caller(.programManager)
        let id = try await f.service.fileRequest(ServiceFixture.ddrRequest, key: nil, by: cod).exchangeID
        _ = try await f.service.startScreening(id, key: nil, by: pm)
        _ = try await f.service.decide(.approve, exchange: id, comment: "in mandate", key: nil, by: pm)
        try await ServiceFixture.runTasks(f.service, client: f.client, logger: f.logger)
        _ = try await f.service.decide(.approve, exchange: id, comment: "good matches", key: nil, by: pm)
        _ = try await f.service.selectPartner("RWA", exchange: id, key: nil, by: cod)
        try await ServiceFixture.runTasks(f.service, client: f.client, logger: f.logger)
        _ = try await f.service.confirmPartnership(id, key: nil, by: rwa)
        #expect(try await f.service.engine.instance(id).state == "planning")
        return id
    }

    /// A plan of two activities in 70/30 instalments, 20,000.50 USD of grant: one approver suffices.
    static let planFields: [(String, String)] = [
        ("a0_instrument", "study-visit"), ("a0_title", "Reintegration centres in Musanze"), ("a0_start", ServiceFixture.day(60).description),
        ("a0_end", ServiceFixture.day(64).description), ("a0_place", "Musanze, Rwanda"),
        ("a0_p0_name", "Amani Kabila"), ("a0_p0_institution", "UEPN-DDRCS"), ("a0_p0_country", "cod"), ("a0_p0_role", "visitor"),
        ("a0_p1_name", "Claire Uwase"), ("a0_p1_institution", "RDRC"), ("a0_p1_country", "RWA"), ("a0_p1_role", "host"),
        ("a1_instrument", "videoconference"), ("a1_title", "Follow-up call"), ("a1_start", ServiceFixture.day(90).description),
        ("a1_end", ServiceFixture.day(90).description), ("a1_link", "https://meet.example.org/ddr"),
        ("a1_p0_name", "Claire Uwase"), ("a1_p0_institution", "RDRC"), ("a1_p0_country", "RWA"), ("a1_p0_role", "expert"),
        ("b0_category", "travel"), ("b0_description", "Flights and stay for twelve"), ("b0_amount", "20,000.50"), ("b0_currency", "usd"), ("b0_paid_by", "grant"),
        ("b1_category", "venue"), ("b1_description", "Meeting room in Goma"), ("b1_amount", "1500"), ("b1_currency", "USD"), ("b1_paid_by", "co-financing"),
        ("instalments", "70, 30"), ("fund", ""),
    ]

    @Test func theRequestingOfficialWritesThePlanInItsFormAndSubmitsIt() async throws {
        try await ServiceFixture.with { f in
            let id = try await Self.exchangeInPlanning(f)
            let path = "/exchanges/\(id.uuidString.lowercased())"
            try await f.withPages { client in
                let amani = PageBrowser(client)
                try await amani.signIn(f.tokens[.requestingOfficial]!)
                #expect(try await amani.get(path).html.contains(#"<a href="\#(path)/plan" id="plan-link">"#))
                let empty = try await amani.get("\(path)/plan")
                #expect(empty.status == 200)
                #expect(empty.html.contains("No plan has been written for this exchange yet."))
                #expect(empty.html.contains(#"id="a0_instrument""#) && empty.html.contains(#"id="plan-file""#))
                #expect(!empty.html.contains(#"id="submit-plan""#))
                #expect(PageChecks.problems(empty.html) == [])

                let saved = try await amani.post("\(path)/plan", Self.planFields, csrf: empty.csrf)
                #expect(saved.status == 303)
                #expect(saved.location == "\(path)/plan?done=imported")
                let stored = try #require(try await f.service.plans(id, by: try await f.caller(.requestingOfficial)).last?.plan)
                #expect(stored.activities.count == 2 && stored.activities[0].participants.count == 2)
                #expect(stored.activities[0].participants[0].country == "COD")
                #expect(stored.activities[1].link == "https://meet.example.org/ddr" && stored.activities[1].place == nil)
                #expect(stored.budget.map(\.amountMinor) == [2_000_050, 150_000] && stored.budget[0].currency == "USD")
                #expect(stored.budget[1].paidBy == .coFinancing && stored.instalments == [70, 30] && stored.fund == nil)

                let shown = try await amani.get(saved.location!)
                #expect(shown.html.contains("The plan was saved as a new version."))
                #expect(shown.html.contains("Reintegration centres in Musanze") && shown.html.contains("Claire Uwase"))
                #expect(shown.html.contains("US$20,000.50") && shown.html.contains("US$1,500.00"))
                #expect(shown.html.contains("70 % + 30 %"))
                #expect(shown.html.contains(#"value="20000.50""#))  // the form holds the stored plan to correct it
                #expect(shown.html.contains(#"id="submit-plan""#))
                #expect(PageChecks.problems(shown.html) == [])

                // The partner's official reads the plan but the workflow waits for the requesting country.
                let claire = PageBrowser(client, language: "fr")
                try await claire.signIn(f.tokens[.partnerOfficial]!)
                let read = try await claire.get("\(path)/plan")
                #expect(read.status == 200 && read.html.contains("000,50") && read.html.contains("$US"))
                #expect(!read.html.contains(#"id="a0_instrument""#) && !read.html.contains(#"id="submit-plan""#))

                let submitKey = try #require(shown.formKey)
                let submitted = try await amani.post("\(path)/plan/submit", [("key", submitKey)], csrf: shown.csrf)
                #expect(submitted.location == "\(path)/plan?done=submitted")
                #expect(try await f.service.engine.instance(id).state == "funding-review")
                // Sent twice (a reload of the answer): the first answer again, one submission.
                let resubmitted = try await amani.post("\(path)/plan/submit", [("key", submitKey)], csrf: shown.csrf)
                #expect(resubmitted.location == "\(path)/plan?done=submitted")
                #expect(try await f.service.engine.history(of: id).filter { $0.event == "submit-plan" }.count == 1)
                let after = try await amani.get(submitted.location!)
                #expect(after.html.contains("The plan was submitted for funding.") && after.html.contains("submitted for funding on"))
                #expect(!after.html.contains(#"id="a0_instrument""#) && !after.html.contains(#"id="submit-plan""#))
                // The plan can no longer be changed: the service refuses, the page says so.
                let late = try await amani.post("\(path)/plan", Self.planFields, csrf: shown.csrf)
                #expect(late.status == 409 || late.status == 422)
                #expect(try await f.service.plans(id, by: try await f.caller(.requestingOfficial)).count == 1)
            }
        }
    }

    @Test func aPlanWithProblemsComesBackWithEachAtItsRowTheInputKeptAndNothingStored() async throws {
        try await ServiceFixture.with { f in
            let id = try await Self.exchangeInPlanning(f)
            let path = "/exchanges/\(id.uuidString.lowercased())"
            try await f.withPages { client in
                let amani = PageBrowser(client, language: "fr")
                try await amani.signIn(f.tokens[.requestingOfficial]!)
                let form = try await amani.get("\(path)/plan")
                let fields = Self.planFields.map { field -> (String, String) in
                    switch field.0 {
                    case "a0_start": ("a0_start", "2020-01-01")
                    case "a0_end": ("a0_end", "2020-01-03")
                    case "a0_p1_country": ("a0_p1_country", "Rwanda")
                    case "a1_link": ("a1_link", "")
                    case "b0_amount": ("b0_amount", "20 000,50")
                    case "a0_title": ("a0_title", "<script>alert(1)</script> Musanze")
                    default: field
                    }
                }
                let before = try await TableFingerprint.take(f.database)
                let answer = try await amani.post("\(path)/plan", fields, csrf: form.csrf)
                #expect(try await TableFingerprint.take(f.database).changes(since: before) == [])
                #expect(answer.status == 422)
                #expect(answer.html.contains("Le plan n’a pas été enregistré"))
                #expect(answer.html.contains(#"<p class="problem" id="a0-problem">L’activité doit commencer après aujourd’hui."#))
                #expect(answer.html.contains(#"<p class="problem" id="a0_p1-problem">Écrivez le pays avec son code ISO"#))
                #expect(answer.html.contains(#"<p class="problem" id="a1-problem">Une visioconférence a besoin de son lien"#))
                #expect(answer.html.contains(#"<p class="problem" id="b0-problem">Écrivez un montant positif"#))
                #expect(!answer.html.contains(#"id="a0_p0-problem""#) && !answer.html.contains(#"id="b1-problem""#))
                #expect(answer.html.contains(#"value="Rwanda""#) && answer.html.contains(#"value="20 000,50""#) && answer.html.contains(#"value="2020-01-01""#))
                #expect(answer.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Musanze") && !answer.html.contains("<script"))
                #expect(PageChecks.problems(answer.html) == [])

                // Instalments that do not add up to 100: PlanCheck's rule, shown at its field.
                let sums = try await amani.post("\(path)/plan", Self.planFields.filter { $0.0 != "instalments" } + [("instalments", "70, 20")], csrf: form.csrf)
                #expect(sums.status == 422)
                #expect(sums.html.contains(#"<p class="problem" id="instalments-problem">Écrivez de un à quatre pourcentages"#))
                // A fund that does not exist: the service's refusal, at the fund field.
                let fund = try await amani.post("\(path)/plan", Self.planFields.filter { $0.0 != "fund" } + [("fund", "no-such-fund")], csrf: form.csrf)
                #expect(fund.status == 422)
                #expect(fund.html.contains(#"<p class="problem" id="fund-problem">Ce fonds n’existe pas"#))
                #expect(fund.html.contains(#"value="no-such-fund""#))
                // Nothing at all.
                let nothing = try await amani.post("\(path)/plan", [], csrf: form.csrf)
                #expect(nothing.html.contains(#"<p class="problem" id="activities-problem">"#) && nothing.html.contains(#"<p class="problem" id="budget-problem">"#))
                // Without the form's token.
                #expect(try await amani.post("\(path)/plan", Self.planFields, csrf: nil).status == 403)
                #expect(try await f.service.plans(id, by: try await f.caller(.requestingOfficial)).isEmpty)

                // Another country's official: not found, for reading and for writing.
                let foday = PageBrowser(client)
                try await foday.signIn(f.tokens[.otherOfficial]!)
                let hidden = try await foday.get("\(path)/plan")
                #expect(hidden.status == 404 && !hidden.html.contains("Lasting peace"))
                let list = try await foday.get("/exchanges")
                #expect(try await foday.post("\(path)/plan", Self.planFields, csrf: list.csrf).status == 404)
                #expect(try await foday.get("\(path)/grant").status == 404)
                #expect(try await foday.get("\(path)/report").status == 404)
                #expect(try await f.service.plans(id, by: try await f.caller(.requestingOfficial)).isEmpty)
            }
        }
    }

    @Test func theUploadedPlanFileIsReadAsTheCLIReadsIt() async throws {
        try await ServiceFixture.with { f in
            let id = try await Self.exchangeInPlanning(f)
            let path = "/exchanges/\(id.uuidString.lowercased())"
            try await f.withPages { client in
                let amani = PageBrowser(client)
                try await amani.signIn(f.tokens[.requestingOfficial]!)
                let form = try await amani.get("\(path)/plan")
                let csrf = try #require(form.csrf)
                func upload(_ file: String, csrf: String?, name: String = "plan") async throws -> PageBrowser.Page {
                    try await amani.postMultipart("\(path)/plan/upload", [], files: [(name, "plan.json", "application/json", Array(file.utf8))], csrf: csrf)
                }
                let plans = { try await f.service.plans(id, by: try await f.caller(.requestingOfficial)) }

                // Files the CLI would refuse: a field missing, an unknown key, each named; nothing stored.
                let before = try await TableFingerprint.take(f.database)
                let missing = try await upload(#"{"activities": []}"#, csrf: csrf)
                #expect(missing.status == 422)
                #expect(missing.html.contains(#"<p class="problem" id="plan-file-problem">This file is not a plan Meridian can read"#))
                #expect(missing.html.contains("the field budget is missing"))
                var fields = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(ServiceFixture.plan)) as? [String: Any])
                fields["fnud"] = "rapid"
                let unknown = try await upload(String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self), csrf: csrf)
                #expect(try await TableFingerprint.take(f.database).changes(since: before) == [])
                #expect(unknown.status == 422)
                #expect(unknown.html.contains("fnud") && unknown.html.contains("is not a field of this file"))
                #expect(PageChecks.problems(unknown.html) == [])
                #expect(try await upload("", csrf: csrf).html.contains("Choose a plan file first."))
                #expect(try await upload(String(repeating: " ", count: 1_100_000), csrf: csrf).html.contains("The file is too large"))

                // A readable file whose plan is not whole: the form shows it, each problem at its row.
                var broken = ServiceFixture.plan
                broken.activities[0].participants[1].country = "XX"
                let notWhole = try await upload(String(decoding: try JSONEncoder().encode(broken), as: UTF8.self), csrf: csrf)
                #expect(notWhole.status == 422)
                #expect(notWhole.html.contains(#"<p class="problem" id="a0_p1-problem">Write the country as its three-letter ISO code"#))
                #expect(notWhole.html.contains(#"value="XX""#) && notWhole.html.contains(#"value="Reintegration centres in Musanze""#))
                #expect(try await upload(String(decoding: try JSONEncoder().encode(ServiceFixture.plan), as: UTF8.self), csrf: nil).status == 403)
                #expect(try await plans().isEmpty)

                // The CLI's own file, as `meridian exchange plan import` reads it.
                let file = String(decoding: try JSONEncoder().encode(ServiceFixture.plan), as: UTF8.self)
                let stored = try await upload(file, csrf: csrf)
                #expect(stored.status == 303 && stored.location == "\(path)/plan?done=imported")
                #expect(try await plans().map(\.plan) == [ServiceFixture.plan])
                let shown = try await amani.get(stored.location!)
                #expect(shown.html.contains("US$60,000.00"))
            }
        }
    }

    /// After the plan: the grant approved and disbursed (the grant page shows amounts and
    /// states, never the beneficiary's account), the bank pays, and the official sends the
    /// results report through its form.
    @Test func theGrantShowsNoBankDetailsAndTheResultsReportIsSubmitted() async throws {
        try await ServiceFixture.with { f in
            let id = try await Self.exchangeInPlanning(f)
            let path = "/exchanges/\(id.uuidString.lowercased())"
            let cod = try await f.caller(.requestingOfficial), fay = try await f.caller(.fundApprover), finn = try await f.caller(.financeOfficer)
            let plan: VisitPlan = {
                var plan = ServiceFixture.plan
                plan.budget[0].amountMinor = 2_000_000
                plan.instalments = [70, 30]
                return plan
            }()
            try await f.withPages { client in
                let amani = PageBrowser(client, language: "es")
                try await amani.signIn(f.tokens[.requestingOfficial]!)
                let none = try await amani.get("\(path)/grant")
                #expect(none.status == 200 && none.html.contains("Todavía no hay subvención"))
                #expect(PageChecks.problems(none.html) == [])
                #expect(try await amani.get("\(path)/report").html.contains("Todavía no hay informe de resultados"))

                _ = try await f.service.importPlan(plan, exchange: id, by: cod)
                _ = try await f.service.submitPlan(id, key: nil, by: cod)
                let requested = try await amani.get("\(path)/grant")
                #expect(requested.html.contains("Solicitada: en examen de financiación"))
                #expect(requested.html.contains("20.000,00") && requested.html.contains("14.000,00") && requested.html.contains("US$"))
                #expect(requested.html.contains("Aún no desembolsado"))

                let grant = try await f.service.grant(id.uuidString, by: cod).grant.id.uuidString
                _ = try await f.service.voteOnGrant(grant, approve: true, comment: nil, key: nil, by: fay)
                _ = try await f.service.disburse(grant: grant, instalment: 1, beneficiary: "Tresor Public Kinshasa",
                                                 account: try BankAccount.iban("GB82 WEST 1234 5698 7654 32"), reference: nil, key: nil, by: finn)
                let disbursed = try await amani.get("\(path)/grant")
                #expect(disbursed.html.contains("Desembolsado, en espera del fichero bancario"))
                for secret in ["GB82", "WEST", "12345698765432", "Tresor Public", "Kinshasa"] {
                    #expect(!disbursed.html.contains(secret), "the grant page shows \(secret)")
                }
                #expect(PageChecks.problems(disbursed.html) == [])

                let exported = try #require(try await f.service.exportPayments(execution: nil, by: finn))
                let report = """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
                      <GrpHdr><MsgId>BANK-WEB</MsgId><CreDtTm>2026-11-29T10:00:00</CreDtTm></GrpHdr>
                      <OrgnlGrpInfAndSts><OrgnlMsgId>\(exported.batch.messageID)</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId></OrgnlGrpInfAndSts>
                      <OrgnlPmtInfAndSts><OrgnlPmtInfId>\(exported.batch.messageID)-1</OrgnlPmtInfId>
                        <TxInfAndSts><OrgnlEndToEndId>\(exported.batch.payments[0].endToEndID)</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>
                      </OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
                    """
                _ = try await f.service.reconcile(try Pain002Reader.read(Array(report.utf8)), by: finn)
                #expect(try await f.service.engine.instance(id).state == "implementation")
                #expect(try await amani.get("\(path)/grant").html.contains("<td>Pagado</td>"))

                let form = try await amani.get("\(path)/report")
                #expect(form.html.contains(#"<label for="actual0">Former fighters with a livelihood (%)</label>"#))
                #expect(form.html.contains("Valor de partida: 12 · Meta: 40") || form.html.contains(": 12 · "))
                #expect(PageChecks.problems(form.html) == [])

                let before = try await TableFingerprint.take(f.database)
                let refused = try await amani.post("\(path)/report", [("actual0", "muchos"), ("outcome-new-knowledge", "corto"), ("lessons", "  "),
                                                                      ("feedback_requesting", "<b>Útil</b>"), ("feedback_partner", "")], csrf: form.csrf)
                #expect(try await TableFingerprint.take(f.database).changes(since: before) == [])
                #expect(refused.status == 422)
                #expect(refused.html.contains("El informe no se envió"))
                #expect(refused.html.contains(#"<p class="problem" id="actual0-problem">Escriba un número"#))
                #expect(refused.html.contains(#"<p class="problem" id="outcome-new-knowledge-problem">Demasiado corto"#))
                #expect(refused.html.contains(#"<p class="problem" id="lessons-problem">"#) && refused.html.contains(#"<p class="problem" id="feedback_partner-problem">"#))
                #expect(!refused.html.contains(#"id="feedback_requesting-problem""#))
                #expect(refused.html.contains(#"value="muchos""#) && refused.html.contains("&lt;b&gt;Útil&lt;/b&gt;"))
                #expect(PageChecks.problems(refused.html) == [])
                #expect(try await amani.post("\(path)/report", Self.reportFields, csrf: nil).status == 403)
                #expect(try await f.service.exchange(id, by: cod).reports.isEmpty)

                let reportKey = try #require(refused.formKey)
                let sent = try await amani.post("\(path)/report", Self.reportFields + [("key", reportKey)], csrf: form.csrf)
                #expect(sent.location == "\(path)/report?done=submitted")
                #expect(try await f.service.engine.instance(id).state == "results-review")
                // Sent twice (a double click): the first answer again, one report.
                let resent = try await amani.post("\(path)/report", Self.reportFields + [("key", reportKey)], csrf: form.csrf)
                #expect(resent.location == "\(path)/report?done=submitted")
                #expect(try await f.service.exchange(id, by: cod).reports.count == 1)
                let stored = try #require(try await f.service.exchange(id, by: cod).reports.last?.report)
                #expect(stored.indicators == [.init(name: "Former fighters with a livelihood", actual: Decimal(string: "31.5")!)])
                #expect(stored.outcomes.map(\.kind) == [.newKnowledge, .enhancedConnectivity])
                #expect(stored.lessons == ["Reintegration committees need a budget line of their own.", "Start the peer visits early."])
                let shown = try await amani.get(sent.location!)
                #expect(shown.html.contains("El informe de resultados se envió") && shown.html.contains("<td>31,5</td>"))
                #expect(!shown.html.contains(#"id="submit-report""#))
                #expect(PageChecks.problems(shown.html) == [])
            }
        }
    }

    /// The plan, grant and report pages in French, Spanish and Portuguese hold no English
    /// message and no missing key.
    @Test func thePlanGrantAndReportPagesHoldNoEnglish() async throws {
        try await ServiceFixture.with { f in
            let id = try await Self.exchangeInPlanning(f)
            _ = try await f.service.importPlan(ServiceFixture.plan, exchange: id, by: try await f.caller(.requestingOfficial))
            let messages = try WebMessages.load()
            let english = messages.table(.en)
            try await f.withPages { client in
                for language in [WebLanguage.fr, .es, .pt] {
                    let browser = PageBrowser(client, language: language.rawValue)
                    try await browser.signIn(f.tokens[.requestingOfficial]!)
                    let target = messages.table(language)
                    var pages: [PageBrowser.Page] = []
                    for exchange in [id, f.exchange] {
                        for page in ["plan", "grant", "report"] { pages.append(try await browser.get("/exchanges/\(exchange.uuidString.lowercased())/\(page)")) }
                    }
                    pages.append(try await browser.post("/exchanges/\(id.uuidString.lowercased())/plan", [("a0_title", "x")], csrf: pages[0].csrf))
                    for page in pages {
                        #expect(page.status == 200 || page.status == 422)
                        #expect(page.html.contains(#"<html lang="\#(language.rawValue)">"#))
                        #expect(!page.html.contains("⟦"))
                        var chrome = WebPagesTests.withoutPeoplesText(page.html)
                        for written in ["Reintegration centres in Musanze", "Flights and stay for twelve", "Musanze, Rwanda", "visitor", "host", "rapid"] {
                            chrome = chrome.replacingOccurrences(of: written, with: "")
                        }
                        for (key, value) in english where !key.hasPrefix("lang_") && value != target[key] && value.count >= 4 {
                            #expect(!WebPagesTests.containsWord(chrome, value), "\(language): English '\(value)' (\(key))")
                        }
                    }
                }
            }
        }
    }

    static let reportFields: [(String, String)] = [
        ("actual0", "31,5"),
        ("outcome-new-knowledge", "The commission learned how Rwanda runs community reintegration committees"),
        ("outcome-enhanced-connectivity", "The two commissions now meet every quarter"),
        ("lessons", "Reintegration committees need a budget line of their own.\r\n\r\nStart the peer visits early.\r\n"),
        ("feedback_requesting", "Practices we could adapt at once."), ("feedback_partner", "Good questions sharpened our own review."),
    ]
}
