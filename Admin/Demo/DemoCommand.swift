import ArgumentParser
import Foundation
import Logging
import MeridianEngine
import MeridianExchange
import MeridianIdentity
import MeridianPostgres
import MeridianQueue
import MeridianShippedWorkflows
import MeridianWorkflow
import PostgresNIO

/// `meridian demo`: the README's main command, a tour of what Meridian does so far.
///
/// It uses the real parts only — the private PostgreSQL cluster, the deployed definitions,
/// the knowledge base, identities, the engine and the queue — and is safe to run again:
/// deployment, the seed catalogue and the demo's users are idempotent, and each run files a
/// new exchange with fresh, short-lived tokens.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Bring up the database and run the demonstration scenario.",
        discussion: """
            Starts (or reuses) the private PostgreSQL cluster and migrates it, deploys the \
            shipped workflows, loads the seed knowledge base, matches a request from the \
            Democratic Republic of the Congo against it, adds its two users (if missing) with a \
            token each, and as them takes a new knowledge exchange through its first steps — with a refused step and a replayed one — then verifies \
            the history chain and shows the queue. Safe to run again and again.

            Example:
              swift run meridian demo
            """
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        section("database")
        let settings = try await database.connect()
        print("  ready at \(settings.url)")
        try await withPostgresClient(settings, logger: database.logger) { client in
            let engine = try EngineHandlers.engine(client: client, logger: database.logger)
            try await deployWorkflows(engine)
            try await matchARequest(client)
            let people = try await signIn(IdentityStore(client: client, logger: database.logger))
            let exchange = try await fileAnExchange(engine, official: people.official, manager: people.manager)
            try await verifyHistory(engine, exchange)
            try await showQueue(client)
        }
        print("\ndone. Try `meridian instance list`, `meridian kb search reintegration` or `meridian queue stats`.")
    }

    private func deployWorkflows(_ engine: WorkflowEngine) async throws {
        section("workflows")
        let files = try ShippedWorkflows.urls.map { url in
            WorkflowEngine.DefinitionFile(name: url.lastPathComponent, bytes: Array(try Data(contentsOf: url)))
        }
        for result in try await engine.deploy(files) {
            print("  \(result.workflowID) v\(result.version)  sha256:\(result.sha256.prefix(16))…  \(result.status.rawValue)")
        }
    }

    private func matchARequest(_ client: PostgresClient) async throws {
        section("knowledge base")
        let experiences = try SeedCatalogue.experiences()
        let counts = try await ExperienceImporter.store(experiences, client: client, logger: database.logger)
        print("  seed catalogue: \(experiences.count) real programmes (\(counts.inserted) new, \(counts.updated) updated)")
        let request = MatchRequest(
            text: "reintegrate demobilised ex-combatants into their communities with jobs and training",
            sectors: [.demobilisationReintegration], countryCode: "COD", region: .subSaharanAfrica, incomeGroup: .low
        )
        print("  request from COD: \"\(request.text)\"")
        let result = try await Matcher(client: client, logger: database.logger).match(request)
        for (rank, match) in result.matches.enumerated() {
            let score = (match.score * 100).rounded() / 100
            print("  \(rank + 1). \(match.countryName) — \(match.programme) (\(match.years)), score \(score)")
            print("     why: \(match.reasons.matchedTerms.prefix(5).joined(separator: ", "))")
        }
        if !result.note.isEmpty { print("  note: \(result.note)") }
    }

    /// Adds the demo's official and program manager when missing, and gives each a fresh
    /// token, valid for an hour, that is then checked as any command checks one: the actors
    /// of the exchange are the users the tokens authenticate.
    private func signIn(_ store: IdentityStore) async throws -> (official: WorkflowActor, manager: WorkflowActor) {
        section("people")
        let people: [(handle: String, name: String, role: Role, country: String?)] = [
            ("amani.official", "Amani Kabila", .official, "COD"),
            ("lucia.manager", "Lucía Pérez", .programManager, nil),
        ]
        var actors: [WorkflowActor] = []
        for person in people {
            let existing: User?
            do {
                existing = try await store.user(handle: person.handle)
            } catch let error as IdentityError where error.code == .notFound {
                existing = nil
            }
            if existing == nil {
                _ = try await store.addUser(handle: person.handle, name: person.name, roles: [person.role], country: person.country)
            }
            let token = try await store.createToken(for: person.handle, label: "meridian demo", expiresAt: Date().addingTimeInterval(3_600))
            let user = try await store.authenticate(token: token.secret)
            print("  \(IdentitySession.describe(user)): \(existing == nil ? "added" : "exists"), token \(token.info.prefix)… for an hour")
            actors.append(user.engineActor)
        }
        return (actors[0], actors[1])
    }

    /// Files an exchange and takes it through its first steps, showing a refusal and a replay.
    private func fileAnExchange(_ engine: WorkflowEngine, official: WorkflowActor, manager: WorkflowActor) async throws -> UUID {
        section("an exchange")
        let exchange = try await engine.start(
            workflow: "knowledge-exchange", context: ["requesting-country": .string("COD")], actor: official
        )
        print("  filed \(exchange.id.uuidString.lowercased()) in state \(exchange.state)")
        let steps: [(String, WorkflowActor, String?)] = [
            ("submit", official, "demo-submit-\(exchange.id)"),
            ("start-screening", official, nil),  // refused: an official cannot screen her own request
            ("start-screening", manager, nil),
            ("submit", official, "demo-submit-\(exchange.id)"),  // the same key again: replayed, no effect
            ("accept", manager, nil),
        ]
        for (event, actor, key) in steps {
            let outcome = try await engine.fire(FireRequest(instanceID: exchange.id, event: event, actor: actor, idempotencyKey: key))
            let who = "\(actor.id) fires \(event)"
            switch outcome.status {
            case .applied where outcome.replayed:
                print("  \(who): replayed the first outcome (\(outcome.from) → \(outcome.to)), nothing changed")
            case .applied:
                print("  \(who): \(outcome.from) → \(outcome.to)")
            case .rejected:
                print("  \(who): refused — \(outcome.message)")
            case .stale:
                print("  \(who): stale, nothing changed")
            }
        }
        return exchange.id
    }

    private func verifyHistory(_ engine: WorkflowEngine, _ exchange: UUID) async throws {
        section("history")
        for entry in try await engine.history(of: exchange) {
            print("  \(entry.seq). \(entry.event) by \(entry.actorID): \(entry.from.isEmpty ? "·" : entry.from) → \(entry.to)  #\(entry.hash.prefix(12))")
        }
        let report = try await engine.verifyHistory(instance: exchange)
        print("  audit: \(report.firstBroken.map { "BROKEN at \($0)" } ?? "OK, \(report.entries) entries chained")")
    }

    private func showQueue(_ client: PostgresClient) async throws {
        section("queue")
        let stats = try await QueueStore(logger: database.logger).stats(on: client)
        for queue in stats {
            print("  \(queue.queue): \(queue.available) waiting, \(queue.scheduled) scheduled (timers), \(queue.running) running, \(queue.dead) dead")
        }
        print("  (the exchange's tasks — notifications, matching — wait for their handlers, which come with the exchange domain)")
    }

    private func section(_ title: String) {
        print("\n» \(title)")
    }
}
