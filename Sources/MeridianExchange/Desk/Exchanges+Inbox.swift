import Foundation
import Logging
import MeridianEngine
import MeridianWorkflow
import PostgresNIO

extension Exchanges {
    /// One exchange waiting for the person: what she can do there, since when, until when.
    public struct InboxItem: Sendable, Codable, Equatable {
        public var id: UUID
        public var country: String
        public var partner: String?
        public var goal: String
        public var state: String
        public var stateDescription: String?
        /// The status bar's step the state shows as, when its definition labels it (`public-step`).
        public var publicStep: String?
        /// Her workflow roles on this exchange.
        public var roles: [String]
        /// The events she may fire now (votes carry their n of m).
        public var actions: [OpenAction]
        /// When the exchange entered the state it waits in.
        public var since: Date
        public var ageDays: Int
        /// The earliest timer still pending in this stay (a reminder or an escalation).
        public var deadline: Date?
        public var deadlineEvent: String?
    }

    /// Who an exchange belongs to: requesting country, current partner, goal — of every
    /// exchange, or of one country's.
    struct Parties: Sendable {
        var country: String
        var partner: String?
        var goal: String
    }

    /// - Parameter country: only the exchanges this country requested or is the partner of.
    func parties(of country: String? = nil, on connection: PostgresConnection) async throws -> [UUID: Parties] {
        let rows = try await connection.query("""
            SELECT r.exchange_id, r.country_code, p.country_code, r.development_goal
            FROM exchange_requests r
            LEFT JOIN exchange_partner_choices p ON p.exchange_id = r.exchange_id AND p.response <> 'declined'
            WHERE \(country)::text IS NULL OR r.country_code = \(country) OR p.country_code = \(country)
            """, logger: logger).collect()
        var parties: [UUID: Parties] = [:]
        for row in rows {
            let (id, country, partner, goal) = try row.decode((UUID, String, String?, String).self)
            parties[id] = Parties(country: country, partner: partner, goal: goal)
        }
        return parties
    }

    /// What waits for `actor`, oldest stay first: every exchange where one of her workflow
    /// roles — decided per exchange by ``ExchangeRoles`` — may act now. Exits (withdraw,
    /// cancel) are not work; votes she may not cast (she voted, or wrote the plan) are left out.
    ///
    /// An official without a staff role acts only on her country's exchanges and those it is
    /// the partner of: only those are read.
    public func inbox(for actor: ExchangeActor) async throws -> [InboxItem] {
        let isStaff = !actor.roles.isDisjoint(with: ExchangeActor.staffRoles)
        guard isStaff || actor.country != nil else { return [] }  // no role to act with anywhere
        let onlyHerCountry = isStaff ? nil : actor.country
        let parties = try await client.withConnection { connection in try await self.parties(of: onlyHerCountry, on: connection) }
        let work = try await engine.waitingWork(roles: nil, actorID: actor.id, workflow: Self.workflow,
                                                instances: onlyHerCountry == nil ? nil : Array(parties.keys))
        let now = self.now()
        return work.compactMap { (item: WaitingWork) -> InboxItem? in
            guard let party = parties[item.instanceID] else { return nil }
            let roles = ExchangeRoles(actor: actor, requestingCountry: party.country, partnerCountry: party.partner).workflowRoles
            let actions = item.actions.filter { roles.contains($0.role) }
            guard !actions.isEmpty else { return nil }
            return InboxItem(id: item.instanceID, country: party.country, partner: party.partner, goal: party.goal,
                             state: item.state, stateDescription: item.stateDescription, publicStep: item.publicStep, roles: roles.sorted(), actions: actions,
                             since: item.since, ageDays: Self.days(from: item.since, to: now),
                             deadline: item.deadline, deadlineEvent: item.deadlineEvent)
        }
    }

    /// Whole days between two times (rounded down, never negative).
    static func days(from start: Date, to end: Date) -> Int {
        max(0, Int(end.timeIntervalSince(start) / 86_400))
    }
}

extension Exchanges {
    /// One line of "my exchanges": an exchange the person may see, and whether it waits for her.
    public struct ListedExchange: Sendable, Equatable {
        public var summary: Summary
        /// Whether one of her workflow roles on it may act now: exactly when ``inbox(for:)``
        /// lists it.
        public var waitsForActor: Bool
    }

    /// The exchanges `actor` may see, as ``list(for:state:country:limit:before:)`` gives them,
    /// each with whether it waits for her as ``inbox(for:)`` decides — in one statement, where
    /// the list and the inbox take three and the inbox also parses every instance's context.
    /// For the officials' "my exchanges" page, which shows both on every visit.
    ///
    /// The open actions are the definition's for the snapshot, asked for her workflow roles on
    /// the exchange and her id (votes she cast or may not cast are not open to her): the same
    /// answer as the inbox's, which asks for every role and keeps hers. Only a state's
    /// approvals read more of the snapshot than its state (the votes, who fired what, the
    /// amounts), so the stored snapshot is decoded only for a state that has approvals.
    public func listWithWaiting(for actor: ExchangeActor, limit: Int = 200) async throws -> [ListedExchange] {
        let decoder = JSONDecoder()
        var exits: [Int: Set<String>] = [:]  // per definition version
        return try await listed(for: actor, limit: limit, snapshots: true).map { line in
            let roles = ExchangeRoles(actor: actor, requestingCountry: line.summary.country, partnerCountry: line.summary.partner).workflowRoles
            guard let text = line.snapshot, let definition = line.definition, let state = definition.state(line.summary.state), !roles.isEmpty else {
                return ListedExchange(summary: line.summary, waitsForActor: false)  // finished, or no role to act with
            }
            let snapshot = state.approvals.isEmpty
                ? InstanceSnapshot(state: state.id, enteredAt: line.summary.updatedAt)
                : try decoder.decode(InstanceSnapshot.self, from: Data(text.utf8))
            let versionExits = exits[definition.version] ?? definition.exitEvents
            exits[definition.version] = versionExits
            let open = definition.openActions(in: snapshot, roles: roles, actorID: actor.id, exits: versionExits)
            return ListedExchange(summary: line.summary, waitsForActor: !open.isEmpty)
        }
    }
}
