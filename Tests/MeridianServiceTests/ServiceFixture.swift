import MeridianCodes
import Foundation
import Logging
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianIdentity
import MeridianPostgres
import MeridianQueue
import MeridianService
import MeridianShippedWorkflows
import MeridianTestSupport
import PostgresNIO
import Testing

/// A fresh database with the shipped workflows, the seed knowledge base, a funded USD fund,
/// one user per persona (each with a token), and one exchange walked through the service to
/// funding review: DR Congo's, with Rwanda as the confirmed partner and a 60,000 USD grant that
/// needs two approvers.
struct ServiceFixture: Sendable {
    let database: TestDatabase
    let client: PostgresClient
    let service: MeridianService
    /// Each persona's token (disabled and revoked ones included).
    let tokens: [Persona: String]
    let exchange: UUID
    let grant: UUID
    var logger: Logger { database.logger }

    /// Who calls: one per role, officials of the requesting, partner and another country, and
    /// two whose tokens must be refused.
    enum Persona: String, CaseIterable, Sendable {
        case requestingOfficial, partnerOfficial, otherOfficial, programManager, fundApprover, financeOfficer, supervisor, admin
        case disabledUser, revokedToken
    }

    static func with<Result: Sendable>(_ body: (ServiceFixture) async throws -> Result) async throws -> Result {
        try await TestDatabase.withFresh { database in
            try await withPostgresClient(database.settings, logger: database.logger) { client in
                let service = try MeridianService(client: client, logger: database.logger)
                let workflows = try ["knowledge-exchange", "grant"].map { name in
                    WorkflowEngine.DefinitionFile(name: "\(name).xml", bytes: Array(try Data(contentsOf: ShippedWorkflows.url(named: name))))
                }
                _ = try await service.engine.deploy(workflows)
                _ = try await ExperienceImporter.store(try SeedCatalogue.experiences(), client: client, logger: database.logger)
                let tokens = try await people(client: client, logger: database.logger)
                func caller(_ persona: Persona) async throws -> Caller { try await service.authenticate(token: tokens[persona]!) }

                let usd = try Currency.named("USD")
                let admin = try await caller(.admin)
                try await service.createFund(Fund(id: "rapid", name: "Rapid Response Fund", currency: usd, donors: ["Donor A"],
                                                  account: try BankAccount.iban("DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX"), createdBy: ""), by: admin)
                _ = try await service.contribute(fund: "rapid", donor: "Donor A", amount: Money(minorUnits: 100_000_000, currency: usd),
                                                 receivedOn: try CalendarDay("2026-01-15"), reference: "AGR-1", by: admin)

                let cod = try await caller(.requestingOfficial), rwa = try await caller(.partnerOfficial), pm = try await caller(.programManager)
                let id = try await service.fileRequest(ddrRequest, key: nil, by: cod).exchangeID
                _ = try await service.startScreening(id, key: nil, by: pm)
                _ = try await service.decide(.approve, exchange: id, comment: "in mandate", key: nil, by: pm)
                try await runTasks(service, client: client, logger: database.logger)
                _ = try await service.decide(.approve, exchange: id, comment: "good matches", key: nil, by: pm)
                _ = try await service.selectPartner("RWA", exchange: id, key: nil, by: cod)
                try await runTasks(service, client: client, logger: database.logger)
                _ = try await service.confirmPartnership(id, key: nil, by: rwa)
                _ = try await service.importPlan(plan, exchange: id, by: cod)
                _ = try await service.submitPlan(id, key: nil, by: cod)
                #expect(try await service.engine.instance(id).state == "funding-review")
                let grant = try await GrantQueries(client: client, logger: database.logger).find(id.uuidString).id
                return try await body(ServiceFixture(database: database, client: client, service: service, tokens: tokens, exchange: id, grant: grant))
            }
        }
    }

    func caller(_ persona: Persona) async throws -> Caller {
        try await service.authenticate(token: tokens[persona]!)
    }

    /// Adds one user per persona through the identity store (the first admin by bootstrap) and
    /// returns their tokens; disables one user and revokes one token.
    private static func people(client: PostgresClient, logger: Logger) async throws -> [Persona: String] {
        let store = IdentityStore(client: client, logger: logger)
        guard let adminToken = try await store.acting(as: nil).addUser(handle: "ada", name: "Ada Admin", roles: [.admin], country: nil).token?.secret else {
            throw ServiceError(.failure, "the bootstrap admin got no token")
        }
        let admin = try await store.authenticate(token: adminToken)
        let asAdmin = store.acting(as: admin)
        var tokens: [Persona: String] = [.admin: adminToken]
        let people: [(Persona, String, Set<Role>, String?)] = [
            (.requestingOfficial, "amani", [.official], "COD"), (.partnerOfficial, "claire", [.official], "RWA"),
            (.otherOfficial, "foday", [.official], "SLE"), (.programManager, "pat", [.programManager], nil),
            (.fundApprover, "fay", [.fundApprover], nil), (.financeOfficer, "finn", [.financeOfficer], nil),
            (.supervisor, "sam", [.supervisor], nil), (.disabledUser, "dora", [.official], "COD"), (.revokedToken, "rex", [.official], "COD"),
        ]
        for (persona, handle, roles, country) in people {
            _ = try await asAdmin.addUser(handle: handle, name: handle.capitalized, roles: roles, country: country)
            tokens[persona] = try await asAdmin.createToken(for: handle, label: "test", expiresAt: nil).secret
        }
        _ = try await asAdmin.disable(handle: "dora")
        let rexToken = try await asAdmin.tokens(for: "rex")
        _ = try await asAdmin.revokeToken(rexToken[0].id)
        return tokens
    }

    /// Runs the engine's due task jobs as a worker would, until none is left.
    static func runTasks(_ service: MeridianService, client: PostgresClient, logger: Logger) async throws {
        let store = QueueStore(logger: logger)
        let handlers = service.workerHandlers()
        let kinds = handlers.kinds.filter { $0.rawValue.hasPrefix("workflow-task:") }
        let queue = QueueName(WorkflowEngine.defaultQueue)
        for _ in 0..<20 {
            _ = try await store.promoteDue(queue: queue, on: client)
            let jobs = try await store.claim(queue: queue, limit: 100, kinds: kinds, leaseMilliseconds: 60_000, workerID: "test", on: client)
            if jobs.isEmpty { return }
            for job in jobs {
                try await #require(handlers.handler(for: job.kind)).handle(job, logger: logger)
                _ = try await store.complete([job.lease], on: client)
            }
        }
    }

    static let ddrRequest = ExchangeRequest(
        country: "COD", countryName: "Democratic Republic of the Congo", region: .subSaharanAfrica, incomeGroup: .low,
        developmentGoal: "Lasting peace in the eastern provinces after the civil war",
        institutionalChallenge: "The national commission cannot reintegrate demobilised ex-combatants and former fighters into their communities",
        changeObjective: "Design a community-based reintegration programme with livelihood support for former fighters",
        sectors: [.demobilisationReintegration, .peacebuilding], instruments: [.studyVisit, .videoconference],
        indicators: [Indicator(name: "Former fighters with a livelihood", unit: "%", baseline: 12, target: 40)])

    static func day(_ days: Int) -> CalendarDay { CalendarDay(Date().addingTimeInterval(Double(days) * 86_400)) }

    /// A plan asking 60,000 USD of the fund: above 50,000 USD, so two approvers must agree.
    static var plan: VisitPlan {
        VisitPlan(
            activities: [
                .init(instrument: .studyVisit, title: "Reintegration centres in Musanze", start: day(60), end: day(64), place: "Musanze, Rwanda",
                      participants: [.init(name: "Amani Kabila", institution: "UEPN-DDRCS", country: "COD", role: "visitor"),
                                     .init(name: "Claire Uwase", institution: "RDRC", country: "RWA", role: "host")]),
            ],
            budget: [.init(category: .travel, description: "Flights and stay for twelve", amountMinor: 6_000_000, currency: "USD", paidBy: .grant)])
    }
}
