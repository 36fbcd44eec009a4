import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianEngine
import MeridianExchange
import MeridianQueue
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import ServiceLifecycle
import Testing

/// One exchange from request to closed through the shipped workflow, with a real
/// `QueueWorker` running the exchange tasks in the background.
///
/// The funding steps belong to another module that is not here yet: test users with the
/// fund-approver and finance-officer roles fire the workflow's own approval events, and the
/// bank's `payment-confirmed` is fired as a system actor. The funding tasks' jobs
/// (`commit-funds`, `export-payment-instruction`, `reconcile-bank-status`) have no handler
/// in this worker and wait in the queue.
@Suite("an exchange from request to closed, with a worker")
struct EndToEndTests {
    func withWorker(_ f: ExchangeFixture, _ body: () async throws -> Void) async throws {
        var configuration = QueueWorkerConfiguration()
        configuration.queues = [.init(QueueName(WorkflowEngine.defaultQueue), concurrency: 4)]
        configuration.pollInterval = .milliseconds(200)
        configuration.retryPolicy = RetryPolicy(baseMilliseconds: 100, maximumMilliseconds: 500, jitter: .none)
        let worker = QueueWorker(client: f.client, listenSettings: f.database.settings, handlers: f.engine.jobHandlers(),
                                 configuration: configuration, logger: f.logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: f.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body()
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Waits until `condition` holds, checking every 100 ms, for at most `seconds`.
    func eventually(_ what: String, within seconds: Double = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting: \(what)")
        throw CancellationError()
    }

    @Test("request → matching → partner → plan → funding → results → closed; a later request is matched against the published report")
    func wholeExchange() async throws {
        try await ExchangeFixture.with { f in
            try await withWorker(f) {
                let exchanges = f.exchanges
                let id = try await exchanges.file(Fixtures.ddrRequest, by: Fixtures.codOfficial, key: "cod-ddr").exchangeID
                try await f.fire(id, "start-screening", as: Fixtures.manager)
                try await f.fire(id, "accept", as: Fixtures.manager)
                try await eventually("matches found") { try await f.state(id) == "match-review" }
                #expect(try await exchanges.matches(id, for: Fixtures.codOfficial)?.matches.count == 5)
                try await f.fire(id, "approve-matches", as: Fixtures.manager)

                _ = try await exchanges.selectPartner("RWA", exchange: id, by: Fixtures.codOfficial)
                try await eventually("the partner invited") {
                    try await exchanges.show(id, for: Fixtures.rwaOfficial).notifications.contains { $0.task == "invite-partner" }
                }
                _ = try await exchanges.confirmPartnership(exchange: id, by: Fixtures.rwaOfficial)

                _ = try await exchanges.importPlan(Fixtures.plan(), exchange: id, by: Fixtures.codOfficial)
                _ = try await exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial)
                try await eventually("the plan checked") {
                    try await exchanges.plans(exchange: id, for: Fixtures.managerActor).last?.checkResult?.hasPrefix("consistent") == true
                }
                // Funding, until the funding module lands: the workflow's own events.
                try await f.fire(id, "approve-grant", as: Fixtures.approver)
                try await f.fire(id, "disburse", as: Fixtures.financeOfficer)
                try await f.fire(id, "payment-confirmed", as: .system("test:bank"))
                #expect(try await f.state(id) == "implementation")

                _ = try await exchanges.submitReport(Fixtures.report, exchange: id, by: Fixtures.codOfficial)
                _ = try await exchanges.review(.accept, comment: nil, exchange: id, by: Fixtures.managerActor)
                try await eventually("published and archived") {
                    let view = try await exchanges.show(id, for: Fixtures.codOfficial)
                    return view.publishedExperienceID != nil && view.archivedAt != nil
                        && view.notifications.contains { $0.task == "notify-closed" }
                }
                let closed = try await exchanges.show(id, for: Fixtures.managerActor)
                #expect(closed.state == "closed" && closed.isFinal)
                #expect(closed.reports.count == 1 && closed.reports.first?.review?.decision == "accept")
                try await expectViewAgreesWithTables(closed, client: f.client, logger: f.logger)
                let published = try #require(closed.publishedExperienceID)
                let tasks = Set(closed.notifications.map(\.task))
                #expect(tasks.isSuperset(of: ["notify-submitted", "match-experiences", "invite-partner", "check-plan-consistency", "notify-closed"]))
                let audit = try await f.engine.history(of: id).map(\.event)
                #expect(audit.first == "start" && audit.contains("submit-plan") && audit.contains("accept-report"))

                // A later request, from Kenya, about what the Congolese exchange did.
                let later = ExchangeRequest(
                    country: "KEN", countryName: "Kenya", region: .subSaharanAfrica, incomeGroup: .lowerMiddle,
                    developmentGoal: "Reintegrate former fighters returning to the northern counties",
                    institutionalChallenge: "Counties lack community reintegration committees and radio outreach to former fighters",
                    changeObjective: "Pilot cooperative workshops for former fighters with community reintegration committees",
                    sectors: [.demobilisationReintegration], instruments: [.videoconference],
                    indicators: [Indicator(name: "Former fighters in cooperatives", unit: "people", baseline: 0, target: 500)])
                let next = try await exchanges.file(later, by: Fixtures.keOfficial).exchangeID
                try await f.fire(next, "start-screening", as: Fixtures.manager)
                try await f.fire(next, "accept", as: Fixtures.manager)
                try await eventually("the later request matched") { try await f.state(next) == "match-review" }
                let matches = try #require(try await exchanges.matches(next, for: Fixtures.keOfficial)).matches
                let congo = try #require(matches.first { $0.countryCode == "COD" }, "the published exchange is among Kenya's matches")
                #expect(congo.experienceID == published)
                #expect(congo.reasons.matchedTerms.contains { ["committees", "radio", "cooperative", "workshops"].contains($0) })
            }
        }
    }
}
