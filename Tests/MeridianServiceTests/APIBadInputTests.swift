import Foundation
import Hummingbird
import HummingbirdTesting
import MeridianHTTP
import MeridianService
import MeridianTestSupport
import Testing

/// Bad input through every kind of API route, each sent by someone who may take the action:
/// answered with its status and problem type, a one-line detail that shows no SQL and no
/// internals, never a 5xx — and every table exactly as before (`TableFingerprint`).
@Suite struct APIBadInputTests {
    typealias Persona = ServiceFixture.Persona

    struct Case: Sendable {
        var name: String
        var persona: Persona
        var call: HTTPCall
        var status: Int
        var kind: String
    }

    static let request = #"""
        {"country":"COD","country_name":"DR Congo","region":"sub-saharan-africa","income_group":"low","development_goal":"GOAL","institutional_challenge":"The commission cannot reintegrate ex-combatants","change_objective":"A community-based reintegration programme","sectors":["demobilisation-reintegration"],"instruments":["study-visit"],"indicators":[{"name":"Former fighters with a livelihood","unit":"%","baseline":12,"target":40}]}
        """#

    static func filing(_ goal: String, replacing old: String = "\"GOAL\"", with new: String? = nil) -> HTTPCall {
        let body = request.replacingOccurrences(of: "GOAL", with: goal)
        return .post("/api/v1/exchanges", new.map { body.replacingOccurrences(of: old, with: $0) } ?? body)
    }

    static func cases(_ f: ServiceFixture) -> [Case] {
        let e = "/api/v1/exchanges/\(f.exchange.uuidString.lowercased())"
        let g = "/api/v1/grants/\(f.grant.uuidString.lowercased())"
        let unknown = UUID().uuidString.lowercased()
        var longKey = filing("Lasting peace")
        longKey.headers["Idempotency-Key"] = String(repeating: "k", count: 500)
        var longMessageKey = HTTPCall.post("\(e)/messages", #"{"text":"hello"}"#)
        longMessageKey.headers["Idempotency-Key"] = String(repeating: "k", count: 500)
        var flagText = HTTPCall.post("\(e)/messages", #"{"text":"🇺🇸"# + String(repeating: "*", count: 3_999) + #""}"#)
        flagText.headers["Idempotency-Key"] = "flag-1"
        var entity = HTTPCall.post("/api/v1/payments/reconciliations", #"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "b">]><Document>&a;</Document>"#)
        entity.contentType = "application/xml"
        var notXML = HTTPCall.post("/api/v1/payments/reconciliations", "not xml at all")
        notXML.contentType = "application/xml"
        var catalogue = HTTPCall.post("/api/v1/experiences/imports", #"[{"title":"a\u0000b"}]"#)
        catalogue.contentType = "application/json"
        let amounts = { (amount: String) in HTTPCall.post("/api/v1/instances", #"{"workflow":"grant","context":{"amounts":{"grant":\#(amount)}}}"#) }
        let matching = { (fields: String) in HTTPCall.post("/api/v1/experiences/matches", "{\(fields)}") }
        let contribution = { (field: String) in HTTPCall.post("/api/v1/funds/rapid/contributions", #"{"donor":"Donor B","reference":"BAD-1",\#(field)}"#) }
        return [
            Case(name: "a NUL byte in a request's goal", persona: .requestingOfficial, call: filing(#"a\u0000b"#), status: 422, kind: "invalid-data"),
            Case(name: "a terminal escape in a request's goal", persona: .requestingOfficial, call: filing(#"\u001b[31mred"#), status: 422, kind: "invalid-data"),
            Case(name: "a bidirectional override in a request's goal", persona: .requestingOfficial, call: filing("peace\u{202E}ecaep"), status: 422, kind: "invalid-data"),
            Case(name: "an unknown country", persona: .requestingOfficial, call: filing("Peace", replacing: #""country":"COD""#, with: #""country":"XYZ""#), status: 422, kind: "invalid-data"),
            Case(name: "an unknown sector", persona: .requestingOfficial, call: filing("Peace", replacing: #""demobilisation-reintegration""#, with: #""astrology""#), status: 422, kind: "invalid-data"),
            Case(name: "a baseline written as text", persona: .requestingOfficial, call: filing("Peace", replacing: #""baseline":12"#, with: #""baseline":"12,5""#), status: 422, kind: "invalid-data"),
            Case(name: "an unknown field in a request", persona: .requestingOfficial, call: filing("Peace", replacing: #""country":"COD""#, with: #""country":"COD","colour":"red""#), status: 422, kind: "invalid-data"),
            Case(name: "a goal longer than any text may be", persona: .requestingOfficial, call: filing(String(repeating: "a", count: 30_000)), status: 422, kind: "invalid-data"),
            Case(name: "an idempotency key of 500 characters", persona: .requestingOfficial, call: longKey, status: 400, kind: "invalid-argument"),
            Case(name: "a message's idempotency key of 500 characters", persona: .requestingOfficial, call: longMessageKey, status: 400, kind: "invalid-argument"),
            Case(name: "a message of 4,000 characters but 4,001 code points", persona: .requestingOfficial, call: flagText, status: 422, kind: "invalid-data"),
            Case(name: "a body that is not JSON", persona: .requestingOfficial, call: .post("/api/v1/exchanges", "{\"country\":"), status: 422, kind: "invalid-data"),
            Case(name: "a partner for an unknown exchange", persona: .requestingOfficial, call: .post("/api/v1/exchanges/\(unknown)/partner", #"{"country":"GEO"}"#), status: 404, kind: "not-found"),
            Case(name: "an exchange id that is not one", persona: .programManager, call: .post("/api/v1/exchanges/12345/decisions", #"{"verb":"approve"}"#), status: 404, kind: "not-found"),
            Case(name: "a decision with no such verb", persona: .programManager, call: .post("\(e)/decisions", #"{"verb":"explode"}"#), status: 422, kind: "invalid-data"),
            Case(name: "a decision whose comment is a number", persona: .programManager, call: .post("\(e)/decisions", #"{"verb":"approve","comment":5}"#), status: 422, kind: "invalid-data"),
            Case(name: "a review with no such decision", persona: .programManager, call: .post("\(e)/reports/review", #"{"decision":"maybe"}"#), status: 422, kind: "invalid-data"),
            Case(name: "a fund in no currency", persona: .financeOfficer, call: .post("/api/v1/funds", #"{"id":"bad-zzz","name":"Fund","currency":"ZZZ"}"#), status: 422, kind: "invalid-data"),
            Case(name: "a fund with a blank name", persona: .financeOfficer, call: .post("/api/v1/funds", #"{"id":"bad-blank","name":"   ","currency":"USD"}"#), status: 422, kind: "invalid-data"),
            Case(name: "a contribution past bigint", persona: .financeOfficer, call: contribution(#""amount":"92233720368547758.07 USD""#), status: 422, kind: "invalid-data"),
            Case(name: "a negative contribution", persona: .financeOfficer, call: contribution(#""amount":"-5 USD""#), status: 422, kind: "invalid-data"),
            Case(name: "a contribution finer than cents", persona: .financeOfficer, call: contribution(#""amount":"1.005 USD""#), status: 422, kind: "invalid-data"),
            Case(name: "a contribution in another currency", persona: .financeOfficer, call: contribution(#""amount":"10 EUR""#), status: 422, kind: "invalid-data"),
            Case(name: "a vote that is not a yes or a no", persona: .fundApprover, call: .post("\(g)/votes", #"{"approve":"yes"}"#), status: 422, kind: "invalid-data"),
            Case(name: "a vote on an unknown grant", persona: .fundApprover, call: .post("/api/v1/grants/\(unknown)/votes", #"{"approve":true}"#), status: 404, kind: "not-found"),
            Case(name: "a payment marked with no such status", persona: .financeOfficer, call: .post("/api/v1/payments/M0/mark", #"{"status":"lost","reason":"x"}"#), status: 422, kind: "invalid-data"),
            Case(name: "a status report with an entity", persona: .financeOfficer, call: entity, status: 422, kind: "invalid-data"),
            Case(name: "a status report that is not XML", persona: .financeOfficer, call: notXML, status: 422, kind: "invalid-data"),
            Case(name: "a negative amount in an instance's context", persona: .programManager, call: amounts(#"{"minor_units":-1,"currency":"USD"}"#), status: 422, kind: "invalid-data"),
            Case(name: "an amount in no currency in an instance's context", persona: .programManager, call: amounts(#"{"minor_units":100,"currency":"ZZZ"}"#), status: 422, kind: "invalid-data"),
            Case(name: "an amount as a decimal in an instance's context", persona: .programManager, call: amounts(#"{"minor_units":1.5,"currency":"USD"}"#), status: 422, kind: "invalid-data"),
            Case(name: "an unknown workflow", persona: .programManager, call: .post("/api/v1/instances", #"{"workflow":"no-such-workflow"}"#), status: 404, kind: "not-found"),
            Case(name: "a catalogue entry with a NUL byte", persona: .programManager, call: catalogue, status: 422, kind: "invalid-data"),
            Case(name: "a user whose handle has spaces", persona: .admin, call: .post("/api/v1/users", #"{"handle":"Bad Handle!","name":"X","roles":["official"],"country":"COD"}"#), status: 422, kind: "invalid-data"),
            Case(name: "a user of no country", persona: .admin, call: .post("/api/v1/users", #"{"handle":"nocountry","name":"X","roles":["official"],"country":"XYZ"}"#), status: 422, kind: "invalid-data"),
            Case(name: "a user with no such role", persona: .admin, call: .post("/api/v1/users", #"{"handle":"norole","name":"X","roles":["emperor"]}"#), status: 422, kind: "invalid-data"),
            Case(name: "a search for a control character", persona: .requestingOfficial, call: .get("/api/v1/experiences/search?q=%1B%5B31m"), status: 400, kind: "invalid-argument"),
            Case(name: "an empty message", persona: .requestingOfficial, call: .post("\(e)/messages", #"{"text":"   "}"#), status: 422, kind: "invalid-data"),
            Case(name: "a message longer than 4000 characters", persona: .requestingOfficial, call: .post("\(e)/messages", #"{"text":"\#(String(repeating: "a", count: 4_001))"}"#), status: 422, kind: "invalid-data"),
            Case(name: "a message with an unknown field", persona: .requestingOfficial, call: .post("\(e)/messages", #"{"text":"hi","colour":"red"}"#), status: 422, kind: "invalid-data"),
            Case(name: "an attachment larger than 5 MiB", persona: .requestingOfficial, call: .post("\(e)/messages", #"{"text":"big","attachments":[{"file_name":"big.bin","content_base64":"\#(Data(count: 5 * 1_048_576 + 1).base64EncodedString())"}]}"#), status: 422, kind: "invalid-data"),
            Case(name: "an empty attachment", persona: .requestingOfficial, call: .post("\(e)/messages", #"{"text":"empty","attachments":[{"file_name":"empty.txt","content_base64":""}]}"#), status: 422, kind: "invalid-data"),
            Case(name: "an attachment that is not base64", persona: .requestingOfficial, call: .post("\(e)/messages", #"{"text":"bad","attachments":[{"file_name":"a.txt","content_base64":"%%%"}]}"#), status: 422, kind: "invalid-data"),
            Case(name: "four attachments to one message", persona: .requestingOfficial, call: .post("\(e)/messages", #"{"text":"four","attachments":[\#(Array(repeating: #"{"file_name":"a.txt","content_base64":"QQ=="}"#, count: 4).joined(separator: ","))]}"#), status: 422, kind: "invalid-data"),
            Case(name: "a message on an unknown exchange", persona: .requestingOfficial, call: .post("/api/v1/exchanges/\(unknown)/messages", #"{"text":"hello"}"#), status: 404, kind: "not-found"),
            Case(name: "an unknown attachment", persona: .requestingOfficial, call: .get("\(e)/attachments/424242"), status: 404, kind: "not-found"),
            Case(name: "a sign-in link lasting a year", persona: .admin, call: .post("/api/v1/users/amani/invites", #"{"expires_in_hours":8760}"#), status: 422, kind: "invalid-data"),
            Case(name: "a sign-in link lasting 31 days in minutes", persona: .admin, call: .post("/api/v1/users/amani/invites", #"{"expires_in_minutes":44640}"#), status: 422, kind: "invalid-data"),
            Case(name: "a sign-in link given in hours and minutes", persona: .admin, call: .post("/api/v1/users/amani/invites", #"{"expires_in_hours":1,"expires_in_minutes":30}"#), status: 422, kind: "invalid-data"),
            Case(name: "a sign-in link for an unknown user", persona: .admin, call: .post("/api/v1/users/nobody/invites", "{}"), status: 404, kind: "not-found"),
            Case(name: "a sign-in link for a disabled user", persona: .admin, call: .post("/api/v1/users/dora/invites", "{}"), status: 409, kind: "conflict"),
            Case(name: "a vote that says no and yes (a key twice)", persona: .fundApprover, call: .post("\(g)/votes", #"{"approve":false,"approve":true}"#), status: 400, kind: "invalid-argument"),
            Case(name: "a key twice, once escaped", persona: .fundApprover, call: .post("\(g)/votes", #"{"approve":true,"appr\u006fve":false}"#), status: 400, kind: "invalid-argument"),
            Case(name: "an amount's key twice in an instance's context", persona: .programManager,
                 call: amounts(#"{"minor_units":1,"currency":"USD","minor_units":2}"#), status: 400, kind: "invalid-argument"),
            Case(name: "an indicator's name twice in a request", persona: .requestingOfficial,
                 call: filing("Peace", replacing: #""unit":"%""#, with: #""unit":"%","name":"Other""#), status: 400, kind: "invalid-argument"),
            Case(name: "a match with a NUL byte", persona: .requestingOfficial, call: matching(#""text":"a\u0000b","country":"COD""#), status: 422, kind: "invalid-data"),
            Case(name: "a match without words", persona: .requestingOfficial, call: matching(#""text":"   ","country":"COD""#), status: 400, kind: "invalid-argument"),
            Case(name: "a match of 20,000 characters", persona: .requestingOfficial,
                 call: matching(#""text":"\#(String(repeating: "a ", count: 10_000))","country":"COD""#), status: 400, kind: "invalid-argument"),
            Case(name: "a match for a country classified nowhere", persona: .requestingOfficial, call: matching(#""text":"peace","country":"XYZ""#), status: 400, kind: "invalid-argument"),
            Case(name: "a match with no such sector", persona: .requestingOfficial, call: matching(#""text":"peace","country":"COD","sectors":["astrology"]"#), status: 400, kind: "invalid-argument"),
            Case(name: "a match with no such weight", persona: .requestingOfficial, call: matching(#""text":"peace","country":"COD","weights":"luck=1""#), status: 400, kind: "invalid-argument"),
            Case(name: "a match whose text is a number", persona: .requestingOfficial, call: matching(#""text":5,"country":"COD""#), status: 422, kind: "invalid-data"),
            Case(name: "roles that do not exist", persona: .admin, call: HTTPCall(method: .put, path: "/api/v1/users/amani/roles", json: #"{"roles":["emperor"]}"#), status: 422, kind: "invalid-data"),
            Case(name: "roles for an official of no country", persona: .admin, call: HTTPCall(method: .put, path: "/api/v1/users/amani/roles", json: #"{"roles":["official"],"country":"XYZ"}"#), status: 422, kind: "invalid-data"),
            Case(name: "roles for nobody", persona: .admin, call: HTTPCall(method: .put, path: "/api/v1/users/nobody-here/roles", json: #"{"roles":["official"],"country":"COD"}"#), status: 404, kind: "not-found"),
            Case(name: "disabling nobody", persona: .admin, call: .post("/api/v1/users/nobody-here/disable", nil), status: 404, kind: "not-found"),
            Case(name: "a list of 0 instances", persona: .supervisor, call: .get("/api/v1/instances?limit=0"), status: 400, kind: "invalid-argument"),
            Case(name: "a ledger check of a fund id of 300 characters", persona: .financeOfficer, call: .get("/api/v1/ledger/verification?fund=\(String(repeating: "f", count: 300))"), status: 400, kind: "invalid-argument"),
            Case(name: "a page size that is not a number", persona: .requestingOfficial, call: .get("/api/v1/exchanges?limit=abc"), status: 400, kind: "invalid-argument"),
        ]
    }

    @Test func everyBadInputIsRefusedAndChangesNothing() async throws {
        try await ServiceFixture.with { f in
            let before = try await TableFingerprint.take(f.database)
            let problems = try await f.withAPI { client in
                var problems: [String] = []
                for testCase in Self.cases(f) {
                    let answer = try await testCase.call.send(client, token: f.tokens[testCase.persona])
                    let detail = answer.problem?.detail ?? ""
                    if answer.status != testCase.status || answer.problem?.type != Problem.typePrefix + testCase.kind {
                        problems.append("\(testCase.name): \(answer.status) \(answer.body.prefix(300)), expected \(testCase.status) \(testCase.kind)")
                    }
                    if detail.isEmpty || detail.contains("\n") || ["SELECT", "INSERT", "violates", "PSQLError", "Swift."].contains(where: detail.contains) {
                        problems.append("\(testCase.name): the detail is not one clean line: \(detail.prefix(300))")
                    }
                }
                return problems
            }
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            #expect(try await TableFingerprint.take(f.database).changes(since: before) == [])
            #expect(Self.cases(f).count >= 35)
        }
    }

    /// A key given twice is named, with the object it is in: one of its values would have won silently.
    @Test func aKeyGivenTwiceIsNamed() async throws {
        try await ServiceFixture.with { f in
            let cases = Dictionary(uniqueKeysWithValues: Self.cases(f).map { ($0.name, $0) })
            try await f.withAPI { client in
                let vote = try #require(cases["a vote that says no and yes (a key twice)"])
                let top = try await vote.call.send(client, token: f.tokens[vote.persona])
                #expect(top.problem?.detail == "the key 'approve' appears twice in the body; send each key once", "\(top.body)")
                let amount = try #require(cases["an amount's key twice in an instance's context"])
                let nested = try await amount.call.send(client, token: f.tokens[amount.persona])
                #expect(nested.problem?.detail == "the key 'minor_units' appears twice in 'context.amounts.grant'; send each key once", "\(nested.body)")
            }
        }
    }
}
