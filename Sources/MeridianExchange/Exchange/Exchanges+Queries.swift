import Foundation
import Logging
import MeridianEngine
import MeridianWorkflow
import PostgresNIO

extension Exchanges {
    /// One line of `exchange list`.
    public struct Summary: Sendable, Codable, Equatable {
        public var id: UUID
        public var country: String
        public var state: String
        /// The status bar's step the state shows as, when the exchange's workflow version labels
        /// it (`public-step`).
        public var publicStep: String?
        public var partner: String?
        public var goal: String
        public var filedAt: Date
        public var updatedAt: Date
    }

    /// The exchanges `actor` may see, newest first: staff see all; an official sees her
    /// country's and those her country is the chosen partner of.
    ///
    /// - Parameter before: a page's cursor: only exchanges listed after this one (filed earlier,
    ///   or at the same time with a smaller id).
    public func list(for actor: ExchangeActor, state: String? = nil, country: String? = nil, limit: Int = 200,
                     before: UUID? = nil) async throws -> [Summary] {
        try await listed(for: actor, state: state, country: country, limit: limit, before: before, snapshots: false).map { $0.summary }
    }

    /// The visible exchanges and, with `snapshots`, each unfinished one's snapshot — one statement.
    func listed(for actor: ExchangeActor, state: String? = nil, country: String? = nil, limit: Int,
                before: UUID? = nil, snapshots: Bool) async throws -> [(summary: Summary, snapshot: String?, definition: WorkflowDefinition?)] {
        let staff = !actor.roles.intersection(ExchangeActor.staffRoles.union(["admin"])).isEmpty
        let own: String? = staff ? nil : (actor.roles.contains(ExchangeActor.officialRole) ? (actor.country ?? "-") : "-")
        let rows = try await client.query("""
            SELECT r.exchange_id, r.country_code, i.state, p.country_code, r.development_goal, r.filed_at, i.updated_at, i.workflow_version,
                   CASE WHEN \(snapshots) AND NOT i.is_final THEN i.snapshot::text END
            FROM exchange_requests r
            JOIN engine_instances i ON i.id = r.exchange_id
            LEFT JOIN exchange_partner_choices p ON p.exchange_id = r.exchange_id AND p.response <> 'declined'
            WHERE (\(state)::text IS NULL OR i.state = \(state))
              AND (\(country)::text IS NULL OR r.country_code = \(country) OR p.country_code = \(country))
              AND (\(own)::text IS NULL OR r.country_code = \(own) OR p.country_code = \(own))
              AND (\(before)::uuid IS NULL OR (r.filed_at, r.exchange_id) < (SELECT c.filed_at, c.exchange_id FROM exchange_requests c WHERE c.exchange_id = \(before)))
            ORDER BY r.filed_at DESC, r.exchange_id DESC
            LIMIT \(limit)
            """, logger: logger).collect()
        var definitions: [Int: WorkflowDefinition] = [:]
        var listed: [(summary: Summary, snapshot: String?, definition: WorkflowDefinition?)] = []
        for row in rows {
            let (id, code, state, partner, goal, filed, updated, version, snapshot) =
                try row.decode((UUID, String, String, String?, String, Date, Date, Int, String?).self)
            if definitions[version] == nil { definitions[version] = try await engine.definition(Self.workflow, version: version) }
            listed.append((Summary(id: id, country: code, state: state, publicStep: definitions[version]?.state(state)?.publicStep,
                                   partner: partner, goal: goal, filedAt: filed, updatedAt: updated), snapshot, definitions[version]))
        }
        return listed
    }

    /// Everything `actor` may see of one exchange.
    public func show(_ id: UUID, for actor: ExchangeActor) async throws -> ExchangeView {
        let logger = self.logger
        return try await client.withConnection { connection in
            try await ExchangeView.read(id, visibleTo: actor, on: connection, logger: logger)
        }
    }

    /// Refuses, with the same not-found as for an unknown exchange, when `actor` may not see
    /// the exchange: the check every read makes, for callers that need only the answer
    /// (whether a grant or a file of the exchange may be read), not the whole view.
    public func requireVisible(_ id: UUID, for actor: ExchangeActor) async throws {
        let logger = self.logger
        try await client.withConnection { connection in
            let exchange = try await LockedExchange.read(id, on: connection, logger: logger)
            try exchange.roles(of: actor).requireVisible(actor, exchange: id.uuidString.lowercased())
        }
    }

    /// The latest matches of an exchange (`nil` before matching ran).
    public func matches(_ id: UUID, for actor: ExchangeActor) async throws -> MatchRound? {
        let logger = self.logger
        return try await client.withConnection { connection in
            let exchange = try await LockedExchange.read(id, on: connection, logger: logger)
            try exchange.roles(of: actor).requireVisible(actor, exchange: id.uuidString.lowercased())
            return try await MatchStore.latest(id, on: connection, logger: logger)
        }
    }
}
