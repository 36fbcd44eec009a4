import Foundation
import Logging
import MeridianEngine
import MeridianFunding
import MeridianWorkflow
import PostgresNIO

extension Exchanges {
    /// What a desk decision did.
    public struct Decision: Sendable, Codable, Equatable {
        public var verb: String
        public var event: String
        public var from: String
        public var to: String
        /// For a vote: "1 of 2 approvals" and the like, from the engine's message.
        public var message: String
        public var replayed: Bool
    }

    /// Takes the program manager's (or approver's, or supervisor's) decision `verb` on an
    /// exchange: the event is chosen by ``DeskVerb/choose(among:in:of:)`` among the actions
    /// open to this person now; `comment` goes into the event's data and so into the history.
    ///
    /// Events that carry domain rows go through their domain action (`accept-report` and
    /// `request-revision` write the review; `confirm` and `decline-invitation` answer the
    /// invitation), so the desk never bypasses them. A vote the engine refuses (self-approval,
    /// a second vote) comes back as `.refused` with the engine's message.
    /// - Throws: `.permissionDenied` when she holds no role on the exchange, `.refused` when
    ///   nothing the verb names is open to her (the message lists what is), `.notFound`.
    public func decide(_ verb: DeskVerb, exchange id: UUID, comment: String?, by actor: ExchangeActor, key: String? = nil) async throws -> Decision {
        let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let comment, comment.count > 2_000 {
            throw ExchangeError(.invalidArgument, "the comment has \(comment.count) characters; at most 2,000 are kept", hint: "shorten --comment")
        }
        let logger = self.logger
        let engine = self.engine
        // Read who she is on the exchange and what is open to her (votes unfiltered by her id,
        // so the engine itself refuses a self-approval with its reason).
        let (exchange, roles, definition, replay) = try await client.withConnection { connection in
            let exchange = try await LockedExchange.read(id, on: connection, logger: logger)
            let roles = exchange.roles(of: actor)
            try roles.requireVisible(actor, exchange: id.uuidString.lowercased())
            let replay = try await self.replayedAny(key: key, exchange: id, on: connection)
            let version = try await connection.query("SELECT workflow_version FROM engine_instances WHERE id = \(id)", logger: logger).collect()
            let definition = try await engine.definition(Self.workflow, version: try version[0].decode(Int.self), on: connection)
            return (exchange, roles, definition, replay)
        }
        if let replay {
            return Decision(verb: verb.rawValue, event: replay.event, from: replay.from, to: replay.to, message: replay.message, replayed: true)
        }
        do {
            return try await choose(verb, exchange: exchange, id: id, comment: comment, roles: roles, definition: definition, by: actor, key: key)
        } catch let error where key != nil {
            // The same key sent twice at once: the other call may have acted between this one's
            // look-up and its choice, and this one then saw the state it left (nothing to decide
            // there). Its outcome, now stored with the key, is the answer.
            if let replay = try await client.withConnection({ connection in try await self.replayedAny(key: key, exchange: id, on: connection) }) {
                return Decision(verb: verb.rawValue, event: replay.event, from: replay.from, to: replay.to, message: replay.message, replayed: true)
            }
            throw error
        }
    }

    /// Chooses the event `verb` names among the actions open to the person now, and takes it.
    private func choose(_ verb: DeskVerb, exchange: LockedExchange, id: UUID, comment: String?, roles: ExchangeRoles, definition: WorkflowDefinition,
                        by actor: ExchangeActor, key: String?) async throws -> Decision {
        guard !roles.workflowRoles.isEmpty else {
            throw ExchangeError(.permissionDenied, "\(actor.id) holds no role on the exchange \(id.uuidString.lowercased()) and so decides nothing there",
                                hint: "decisions need a program-manager, fund-approver, finance-officer or supervisor role, or an official's on her own exchange")
        }
        let waiting = try await engine.waitingWork(roles: roles.workflowRoles, actorID: nil, workflow: Self.workflow, instances: [id])
        let actions = waiting.first?.actions ?? []
        let action: OpenAction
        switch verb.choose(among: actions, in: exchange.state, of: definition) {
        case .fire(let chosen):
            action = chosen
        case .pickUp(let step):
            let command = step.event == "start-screening" ? "meridian exchange screen \(id.uuidString.lowercased())"
                : "meridian instance fire \(id.uuidString.lowercased()) \(step.event)"
            throw ExchangeError(.refused, "nothing to \(verb.rawValue) in \(exchange.state): the exchange waits for '\(step.event)', a single step forward rather than a decision",
                                hint: "run `\(command)`")
        case .nothing:
            let open = actions.map(\.event)
            throw ExchangeError(.refused, "nothing to \(verb.rawValue) for \(actor.id) in \(exchange.state) (as \(roles.workflowRoles.sorted().joined(separator: ", ")))"
                                + (open.isEmpty ? ": nothing is open to you here" : ": you can \(open.joined(separator: ", "))"),
                                hint: open.isEmpty ? "see `meridian exchange status \(id.uuidString.lowercased())` for who acts next"
                                    : "take one of those with its own command or `meridian instance fire`")
        }
        return try await take(action.event, verb: verb, exchange: id, comment: comment, roles: roles, by: actor, key: key)
    }

    /// Fires `event`, through its domain action where it has one.
    private func take(_ event: String, verb: DeskVerb, exchange id: UUID, comment: String?, roles: ExchangeRoles,
                      by actor: ExchangeActor, key: String?) async throws -> Decision {
        func decision(_ state: String, from: String, replayed: Bool) -> Decision {
            Decision(verb: verb.rawValue, event: event, from: from, to: state, message: "\(event): now in \(state)", replayed: replayed)
        }
        switch event {
        case "accept-report", "request-revision":
            let step = try await review(event == "accept-report" ? .accept : .revise, comment: comment, exchange: id, by: actor, key: key)
            return decision(step.state, from: "results-review", replayed: step.replayed)
        case "confirm":
            let step = try await confirmPartnership(exchange: id, by: actor, key: key)
            return decision(step.state, from: "partner-confirmation", replayed: step.replayed)
        case "decline-invitation":
            let step = try await declinePartnership(exchange: id, reason: comment ?? "", by: actor, key: key)
            return decision(step.state, from: "partner-confirmation", replayed: step.replayed)
        case "approve-grant", "reject-grant":
            // The funding module's vote: a rejection marks the grant rejected with the step; the
            // deciding approval commits the money (`commit-funds`).
            let grant = try await GrantQueries(client: client, logger: logger).find(id.uuidString.lowercased())
            let outcome = try await GrantDecisions(engine: engine, logger: logger)
                .decide(grant, approve: event == "approve-grant", actor: Self.workflowActor(actor, roles: roles), comment: comment, idempotencyKey: key)
            try Self.requireApplied(outcome, event: event, exchange: id)
            return Decision(verb: verb.rawValue, event: event, from: outcome.from, to: outcome.to, message: outcome.message, replayed: outcome.replayed)
        case "disburse":
            throw ExchangeError(.refused, "disbursing needs the beneficiary's bank account, which the desk does not ask for",
                                hint: "run `meridian disburse \(id.uuidString.lowercased()) --beneficiary \"…\" --iban \"…\"` (finance officer)")
        default:
            break
        }
        let logger = self.logger
        return try await transaction { connection in
            let exchange = try await LockedExchange.lock(id, on: connection, logger: logger)
            var data: [String: JSONValue] = [:]
            if let comment, !comment.isEmpty { data["comment"] = .string(comment) }
            let outcome = try await engine.fire(FireRequest(instanceID: id, event: event, data: data,
                                                            actor: Self.workflowActor(actor, roles: exchange.roles(of: actor)),
                                                            idempotencyKey: key), on: connection)
            try Self.requireApplied(outcome, event: event, exchange: id)
            return Decision(verb: verb.rawValue, event: event, from: outcome.from, to: outcome.to, message: outcome.message, replayed: outcome.replayed)
        }
    }

    /// Turns the engine's refusal into an error: lacking the role is `.permissionDenied`, any
    /// other refusal (self-approval, a second vote, a guard) `.refused` with the engine's reason.
    static func requireApplied(_ outcome: FireOutcome, event: String, exchange id: UUID) throws {
        guard outcome.status != .applied else { return }
        let code: ExchangeError.Code = outcome.rejectionCode == Rejection.Code.roleMissing.rawValue ? .permissionDenied : .refused
        throw ExchangeError(code, "'\(event)' refused: \(outcome.rejectionCode.map { "\($0): " } ?? "")\(outcome.message)",
                            hint: "see `meridian exchange status \(id.uuidString.lowercased())` for who acts next")
    }

    /// The first outcome stored with `key` on this exchange, whatever its event.
    func replayedAny(key: String?, exchange: UUID, on connection: PostgresConnection) async throws -> FireOutcome? {
        guard let key else { return nil }
        let rows = try await connection.query(
            "SELECT outcome::text FROM engine_event_keys WHERE instance_id = \(exchange) AND key = \(key)", logger: logger).collect()
        guard let row = rows.first else { return nil }
        var first = try JSONDecoder().decode(FireOutcome.self, from: Data(try row.decode(String.self).utf8))
        guard first.status == .applied else { return nil }
        first.replayed = true
        return first
    }

    /// A program manager (or supervisor) takes a submitted request into screening.
    public func startScreening(exchange id: UUID, by actor: ExchangeActor, key: String? = nil) async throws -> Decision {
        let logger = self.logger
        return try await transaction { connection in
            let exchange = try await LockedExchange.lock(id, on: connection, logger: logger)
            let roles = exchange.roles(of: actor)
            try roles.requireVisible(actor, exchange: id.uuidString.lowercased())
            if let replay = try await replayed(key: key, event: "start-screening", exchange: id, on: connection) {
                return Decision(verb: "screen", event: "start-screening", from: replay.from, to: replay.to, message: replay.message, replayed: true)
            }
            if !roles.workflowRoles.contains("supervisor") { try roles.require("program-manager", actor, to: "take a request into screening") }
            try exchange.require(state: ["submitted"], to: "take the request into screening")
            let outcome = try await fireOrThrow(FireRequest(instanceID: id, event: "start-screening",
                                                            actor: Self.workflowActor(actor, roles: roles), idempotencyKey: key), on: connection)
            return Decision(verb: "screen", event: "start-screening", from: outcome.from, to: outcome.to, message: outcome.message, replayed: false)
        }
    }
}
