import Foundation
import Hummingbird
import HummingbirdTesting
import MeridianHTTP
import MeridianService
import PostgresNIO
import Testing
import HTTPTypes

/// The HTTP API: the authorization matrix through HTTP, problem documents, limits, idempotency.
@Suite struct HTTPAPITests {
    typealias Persona = ServiceFixture.Persona
    typealias Verdict = AuthorizationMatrixTests.Verdict

    /// Each action of the service matrix as an HTTP call (same names, same expected verdicts).
    static func calls(_ f: ServiceFixture, _ persona: Persona) -> [String: HTTPCall] {
        let e = "/api/v1/exchanges/\(f.exchange.uuidString.lowercased())"
        let g = "/api/v1/grants/\(f.grant.uuidString.lowercased())"
        let country = ["requestingOfficial": "COD", "partnerOfficial": "RWA", "otherOfficial": "SLE"][persona.rawValue] ?? "COD"
        let request = """
            {"country":"\(country)","country_name":"\(country)","region":"sub-saharan-africa","income_group":"low","development_goal":"Lasting peace in the eastern provinces","institutional_challenge":"The commission cannot reintegrate ex-combatants",\
            "change_objective":"A community-based reintegration programme","sectors":["demobilisation-reintegration"],"instruments":["study-visit"],\
            "indicators":[{"name":"Former fighters with a livelihood","unit":"%","baseline":12,"target":40}]}
            """
        var file = HTTPCall.post("/api/v1/exchanges", request)
        file.headers["Idempotency-Key"] = "http-\(persona.rawValue)"
        var reconcile = HTTPCall.post("/api/v1/payments/reconciliations", AuthorizationMatrixTests.emptyStatusReport)
        reconcile.contentType = "application/xml"
        return [
            "list exchanges": .get("/api/v1/exchanges"),
            "show an exchange": .get(e),
            "exchange status": .get("\(e)/status"),
            "exchange timeline": .get("\(e)/timeline"),
            "exchange matches": .get("\(e)/matches"),
            "exchange plans": .get("\(e)/plans"),
            "exchange's IATI activity": .get("\(e)/iati"),
            "fund's IATI file": .get("/api/v1/funds/rapid/iati"),
            "instance of an exchange": .get("/api/v1/instances/\(f.exchange.uuidString.lowercased())"),
            "history of an exchange": .get("/api/v1/instances/\(f.exchange.uuidString.lowercased())/history"),
            "show the grant": .get(g),
            "list grants": .get("/api/v1/grants"),
            "inbox": .get("/api/v1/inbox"),
            "portfolio": .get("/api/v1/portfolio"),
            "file a request": file,
            "start screening": .post("\(e)/screening", nil),
            "select the partner": .post("\(e)/partner", #"{"country":"GEO"}"#),
            "confirm the partnership": .post("\(e)/partner/confirmation", nil),
            "decline the partnership": .post("\(e)/partner/decline", #"{"reason":"matrix"}"#),
            "submit the plan": .post("\(e)/plans/submission", nil),
            "review the report": .post("\(e)/reports/review", #"{"decision":"accept"}"#),
            "vote on the grant": .post("\(g)/votes", #"{"approve":true,"comment":"matrix"}"#),
            "disburse": .post("\(g)/disbursements", #"{"beneficiary":"RDRC","iban":"DE89 3704 0044 0532 0130 00"}"#),
            "list payments": .get("/api/v1/payments"),
            "export payments": .post("/api/v1/payments/exports", nil),
            "list payment files": .get("/api/v1/payments/files"),
            "fetch a payment file": .get("/api/v1/payments/files/MER-NONE"),
            "reconcile a bank report": reconcile,
            "mark a payment": .post("/api/v1/payments/M0/mark", #"{"status":"paid","reason":"matrix"}"#),
            "choose a grant's fund": .post("\(g)/fund", #"{"fund":"rapid","reason":"matrix"}"#),
            "list funds": .get("/api/v1/funds"),
            "fund statement": .get("/api/v1/funds/rapid/statement"),
            "create a fund": .post("/api/v1/funds", #"{"id":"h-\#(persona.rawValue.lowercased())","name":"Fund","currency":"USD"}"#),
            "record a contribution": .post("/api/v1/funds/rapid/contributions", #"{"donor":"Donor B","amount":"1.00 USD","reference":"H-\#(persona.rawValue)"}"#),
            "start a knowledge-exchange instance bare": .post("/api/v1/instances", #"{"workflow":"knowledge-exchange","context":{"country":"KEN"}}"#),
            "start a generic instance": .post("/api/v1/instances", #"{"workflow":"grant"}"#),
            "list users": .get("/api/v1/users"),
            "read the conversation": .get("\(e)/messages"),
            "write in the conversation": .post("\(e)/messages", #"{"text":"matrix \#(persona.rawValue)"}"#),
            "create a sign-in link": .post("/api/v1/users/amani/invites", #"{"expires_in_hours":1}"#),
            "disable a user": .post("/api/v1/users/matrix-nobody/disable", nil),
            "enable a user": .post("/api/v1/users/matrix-nobody/enable", nil),
            "change a user's roles": HTTPCall(method: .put, path: "/api/v1/users/matrix-nobody/roles", json: #"{"roles":["official"],"country":"COD"}"#),
            "add a user": .post("/api/v1/users", #"{"handle":"h-\#(persona.rawValue.lowercased())","name":"Matrix","roles":["official"],"country":"COD"}"#),
            "match experiences": .post("/api/v1/experiences/matches", #"{"text":"reintegrate demobilised ex-combatants","country":"COD"}"#),
            "read an experience's feedback": .get("/api/v1/experiences/1/feedback"),
            "give feedback on a matched experience": .post("/api/v1/experiences/1/feedback", #"{"exchange":"\#(f.exchange.uuidString.lowercased())","useful":true,"comment":"matrix"}"#),
            "load the seed catalogue": .post("/api/v1/experiences/seed", nil),
            "verify the ledger": .get("/api/v1/ledger/verification"),
            "list instances": .get("/api/v1/instances"),
            "retry an instance's incidents": .post("/api/v1/instances/\(f.exchange.uuidString.lowercased())/retry", nil),
            "list incidents": .get("/api/v1/incidents"),
            "verify the audit chain": .get("/api/v1/audit/verification"),
        ]
    }

    @Test func theMatrixThroughHTTP() async throws {
        try await ServiceFixture.with { f in
            let expected = Dictionary(uniqueKeysWithValues: AuthorizationMatrixTests.actions.map { ($0.name, $0) })
            let mismatches = try await f.withAPI { client in
                var mismatches: [String] = []
                for persona in AuthorizationMatrixTests.people {
                    for (name, call) in Self.calls(f, persona).sorted(by: { $0.key < $1.key }) {
                        let action = try #require(expected[name], "no service action named \(name)")
                        let verdicts = action.expected
                        let answer = try await call.send(client, token: f.tokens[persona])
                        let verdict: Verdict = answer.status == 403 ? .forbidden : answer.status == 404 && action.scoped ? .hidden : .allowed
                        if verdict != verdicts[persona] || answer.status == 401 || answer.status >= 500 {
                            mismatches.append("\(name) by \(persona.rawValue): \(answer.status), expected \(verdicts[persona]!.rawValue): \(answer.body.prefix(200))")
                        }
                    }
                }
                for persona in [Persona.disabledUser, .revokedToken] {
                    for (name, call) in Self.calls(f, persona) where (try await call.send(client, token: f.tokens[persona])).status != 401 {
                        mismatches.append("\(name) by \(persona.rawValue): not 401")
                    }
                }
                return mismatches
            }
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        }
    }

    @Test func errorsAreProblemDocumentsWithStableTypes() async throws {
        try await ServiceFixture.with { f in
            let official = f.tokens[.requestingOfficial]!
            try await f.withAPI(configuration: .init(maxBodyBytes: 4096)) { client in
                let cases: [(HTTPCall, String?, Int, String)] = [
                    (.get("/api/v1/exchanges"), nil, 401, "unauthenticated"),
                    (.get("/api/v1/nothing-here"), official, 404, "not-found"),
                    (.get("/api/v1/exchanges/not-an-id"), official, 404, "not-found"),
                    (.get("/api/v1/exchanges?limit=0"), official, 400, "invalid-argument"),
                    (.post("/api/v1/exchanges/\(f.exchange.uuidString)/decisions", #"{"verb":"approve","extra":1}"#), official, 422, "invalid-data"),
                    (.post("/api/v1/exchanges/\(f.exchange.uuidString)/decisions", "[1,2"), official, 422, "invalid-data"),
                    (HTTPCall(method: .post, path: "/api/v1/exchanges/\(f.exchange.uuidString)/decisions", json: "verb=approve", contentType: "text/plain"), official, 415, "unsupported-media-type"),
                    (.post("/api/v1/exchanges", String(repeating: " ", count: 5000) + "{}"), official, 413, "too-large"),
                ]
                for (call, token, status, kind) in cases {
                    let answer = try await call.send(client, token: token)
                    #expect(answer.status == status, "\(call.path): \(answer.status) \(answer.body)")
                    #expect(answer.headers[.contentType] == "application/problem+json", "\(call.path)")
                    #expect(answer.problem?.type == Problem.typePrefix + kind, "\(call.path): \(answer.body)")
                    #expect(answer.problem?.status == status)
                    #expect(answer.headers[.xContentTypeOptions] == "nosniff" && answer.headers[.contentSecurityPolicy] != nil)
                }
                let unauthenticated = try await HTTPCall.get("/api/v1/me").send(client, token: "mrd_wrong")
                #expect(unauthenticated.status == 401 && unauthenticated.headers[.wwwAuthenticate] != nil)
            }
        }
    }

    /// Another country's exchange is reported exactly as an unknown id: the API does not confirm it exists.
    @Test func anotherCountrysExchangeReadsAsUnknown() async throws {
        try await ServiceFixture.with { f in
            try await f.withAPI { client in
                let other = try await HTTPCall.get("/api/v1/exchanges/\(f.exchange.uuidString)").send(client, token: f.tokens[.otherOfficial])
                let unknown = try await HTTPCall.get("/api/v1/exchanges/\(UUID().uuidString)").send(client, token: f.tokens[.otherOfficial])
                #expect(other.status == 404 && unknown.status == 404)
                let unknownID = try #require(unknown.problem?.detail.split(separator: " ").dropFirst(5).first.map { String($0.dropLast()) })
                #expect(other.problem?.detail.replacingOccurrences(of: f.exchange.uuidString.lowercased(), with: "ID")
                        == unknown.problem?.detail.replacingOccurrences(of: unknownID, with: "ID"), "\(other.body) \(unknown.body)")
            }
        }
    }

    @Test func fileRequestIsIdempotent() async throws {
        try await ServiceFixture.with { f in
            try await f.withAPI { client in
                var call = Self.calls(f, .requestingOfficial)["file a request"]!
                call.headers["Idempotency-Key"] = "same-key"
                let first = try await call.send(client, token: f.tokens[.requestingOfficial])
                let second = try await call.send(client, token: f.tokens[.requestingOfficial])
                #expect(first.status == 201 && second.status == 201, "\(first.status) \(first.body) \(second.body)")
                #expect(first.object?["exchange_id"] as? String == second.object?["exchange_id"] as? String)
                let id = try #require(first.object?["exchange_id"] as? String)
                #expect(id == id.lowercased(), "ids are lower case in JSON, as the CLI prints them")
                #expect(first.headers[.location] == "/api/v1/exchanges/\(id)")
                #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
                let count = try await f.client.query("SELECT count(*)::int8 FROM exchange_requests", logger: f.logger).collect()
                #expect(try count[0].decode(Int64.self) == 2)
            }
        }
    }

    @Test func operationsEndpoints() async throws {
        try await ServiceFixture.with { f in
            try await f.withAPI { client in
                #expect(try await HTTPCall.get("/healthz").send(client, token: nil).status == 200)
                #expect(try await HTTPCall.get("/readyz").send(client, token: nil).status == 200)
                _ = try await HTTPCall.get("/api/v1/exchanges").send(client, token: f.tokens[.programManager])
                let metrics = try await HTTPCall.get("/metrics").send(client, token: nil)
                #expect(metrics.status == 200)
                #expect(metrics.body.contains("meridian_http_requests_total{route=\"/api/v1/exchanges\""), "\(metrics.body.prefix(600))")
                #expect(metrics.body.contains("meridian_queue_jobs") && metrics.body.contains("meridian_engine_open_incidents"))
                let document = try await HTTPCall.get("/api/v1/openapi.yaml").send(client, token: nil)
                #expect(document.status == 200 && document.body.contains("openapi: 3.1.0"))
            }
        }
    }

    @Test func pagesOfExchangesFollowTheCursor() async throws {
        try await ServiceFixture.with { f in
            let official = try await f.caller(.requestingOfficial)
            for index in 0..<4 { _ = try await f.service.fileRequest(ServiceFixture.ddrRequest, key: "page-\(index)", by: official) }
            try await f.withAPI { client in
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let answer = try await HTTPCall.get("/api/v1/exchanges?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")).send(client, token: f.tokens[.requestingOfficial])
                    let items = try #require(answer.object?["items"] as? [[String: Any]])
                    seen += items.compactMap { $0["id"] as? String }
                    cursor = answer.object?["next_cursor"] as? String
                } while cursor != nil
                #expect(seen.count == 5 && Set(seen).count == 5)
            }
        }
    }
}
