import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianExchange
import MeridianQueue
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("filing exchange requests")
struct RequestTests {
    @Test("every problem of a bad request is reported at once, each naming its field")
    func invalidRequestListsEveryProblem() {
        var request = Fixtures.ddrRequest
        request.country = "Congo"
        request.changeObjective = " "
        request.sectors = []
        request.instruments = [.workshop, .workshop]
        request.indicators = [Indicator(name: "Cases", unit: "", baseline: 5, target: 5)]
        let problems = request.problems()
        #expect(problems.contains { $0.hasPrefix("country: 'Congo' is not an ISO 3166-1 alpha-3 code") })
        #expect(problems.contains("change_objective: is empty; describe it in a sentence or two"))
        #expect(problems.contains { $0.hasPrefix("sectors: name at least one of") })
        #expect(problems.contains("instruments: an instrument is named twice"))
        #expect(problems.contains { $0.hasPrefix("indicators[0].unit: is empty") })
        #expect(problems.contains { $0.hasPrefix("indicators[0]: the target equals the baseline") })
        #expect(problems.count == 6)
        #expect(Fixtures.ddrRequest.problems().isEmpty)
    }

    @Test("a request file with an unknown instrument says where")
    func requestFileErrors() throws {
        let text = #"{"country": "COD", "development_goal": "x", "institutional_challenge": "y", "change_objective": "z", "sectors": ["health"], "instruments": ["field-trip"], "indicators": []}"#
        #expect {
            _ = try ExchangeRequest.decode(Data(text.utf8), file: "request.json")
        } throws: { error in
            let error = error as? ExchangeError
            return error?.code == .invalidData && error?.message.hasPrefix("request.json: instruments[0]:") == true
        }
    }

    @Test("filing stores the request and starts an exchange that waits in submitted, with the program manager told")
    func filingStartsAnExchange() async throws {
        try await ExchangeFixture.with { f in
            let filed = try await f.exchanges.file(Fixtures.ddrRequest, by: Fixtures.codOfficial)
            #expect(filed.state == "submitted")
            let instance = try await f.engine.instance(filed.exchangeID)
            #expect(instance.workflowID == "knowledge-exchange")
            #expect(instance.state == "submitted")
            let history = try await f.engine.history(of: filed.exchangeID)
            #expect(history.map(\.event) == ["start", "submit"])
            #expect(history.last?.actorID == "amani")
            let ran = try await f.runTasks()
            #expect(ran == ["notify-submitted"])
            let view = try await f.exchanges.show(filed.exchangeID, for: Fixtures.managerActor)
            #expect(view.request.request.indicators == Fixtures.ddrRequest.indicators)
            #expect(view.request.filedBy == "amani")
            #expect(view.notifications.count == 1)
            #expect(view.notifications.first?.recipientRole == "program-manager")
            #expect(view.notifications.first?.message.contains("Democratic Republic of the Congo") == true)
        }
    }

    @Test("region and income group come from the knowledge base when the request leaves them out")
    func profileFromKnowledgeBase() async throws {
        try await ExchangeFixture.with { f in
            var request = Fixtures.ddrRequest
            request.country = "RWA"
            request.countryName = nil
            request.region = nil
            request.incomeGroup = nil
            let filed = try await f.exchanges.file(request, by: Fixtures.rwaOfficial)
            let stored = try await f.exchanges.show(filed.exchangeID, for: Fixtures.rwaOfficial).request.request
            #expect(stored.countryName == "Rwanda")
            #expect(stored.region == .subSaharanAfrica)
            #expect(stored.incomeGroup == .low)
            // A country the knowledge base does not know takes them from the table of every economy.
            request.country = "COD"
            let cod = try await f.exchanges.file(request, by: Fixtures.codOfficial)
            let codRequest = try await f.exchanges.show(cod.exchangeID, for: Fixtures.codOfficial).request.request
            #expect(codRequest.region == .subSaharanAfrica && codRequest.incomeGroup == .low)
        }
    }

    @Test("only an official of the requesting country may file; a refusal writes nothing")
    func filingNeedsTheCountrysOfficial() async throws {
        try await ExchangeFixture.with { f in
            for actor in [Fixtures.rwaOfficial, Fixtures.managerActor] {
                await #expect {
                    _ = try await f.exchanges.file(Fixtures.ddrRequest, by: actor)
                } throws: { ($0 as? ExchangeError)?.code == .permissionDenied }
            }
            var bad = Fixtures.ddrRequest
            bad.sectors = []
            await #expect {
                _ = try await f.exchanges.file(bad, by: Fixtures.codOfficial)
            } throws: { ($0 as? ExchangeError)?.code == .invalidData }
            let rows = try await f.client.query("SELECT (SELECT count(*) FROM exchange_requests)::int8 + (SELECT count(*) FROM engine_instances)::int8",
                                                logger: f.logger).collect()
            #expect(try rows[0].decode(Int.self) == 0)
        }
    }

    @Test("filing again with the same key returns the first exchange and files nothing twice")
    func filingIsIdempotentByKey() async throws {
        try await ExchangeFixture.with { f in
            let first = try await f.exchanges.file(Fixtures.ddrRequest, by: Fixtures.codOfficial, key: "k-1")
            let again = try await f.exchanges.file(Fixtures.ddrRequest, by: Fixtures.codOfficial, key: "k-1")
            #expect(again.exchangeID == first.exchangeID)
            #expect(again.replayed)
            #expect(try await f.exchanges.list(for: Fixtures.codOfficial).count == 1)
        }
    }

    @Test("officials see their own country's exchanges only; staff see all")
    func visibility() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchanges.file(Fixtures.ddrRequest, by: Fixtures.codOfficial).exchangeID
            #expect(try await f.exchanges.list(for: Fixtures.codOfficial).map(\.id) == [id])
            #expect(try await f.exchanges.list(for: Fixtures.rwaOfficial).isEmpty)
            #expect(try await f.exchanges.list(for: Fixtures.managerActor).map(\.id) == [id])
            #expect(try await f.exchanges.list(for: Fixtures.managerActor, state: "closed").isEmpty)
            await #expect {
                _ = try await f.exchanges.show(id, for: Fixtures.rwaOfficial)
            } throws: { ($0 as? ExchangeError)?.code == .notFound }
        }
    }

    @Test("the same request filed several times at once with one key: one exchange, every caller gets it, none a unique-key error")
    func concurrentFilingsWithOneKey() async throws {
        try await ExchangeFixture.with { f in
            for round in 0..<3 {
                let key = "together-\(round)"
                let results = try await withThrowingTaskGroup(of: Exchanges.Filed.self) { group in
                    for _ in 0..<4 { group.addTask { try await f.exchanges.file(Fixtures.ddrRequest, by: Fixtures.codOfficial, key: key) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(Set(results.map(\.exchangeID)).count == 1, "round \(round): \(results)")
                #expect(results.filter { !$0.replayed }.count == 1, "round \(round): one filing, the others replayed")
            }
        }
    }
}
