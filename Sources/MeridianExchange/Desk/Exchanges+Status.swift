import Foundation
import Logging
import MeridianEngine
import MeridianWorkflow
import PostgresNIO

extension Exchanges {
    /// Who acts next on an exchange, per workflow role.
    public struct Waiter: Sendable, Codable, Equatable {
        public var role: String
        /// For `official` and `partner-official`: which country's officials.
        public var country: String?
        public var events: [String]
        /// For a vote: approvals so far and how many it needs.
        public var approvalsSoFar: Int?
        public var approvalsRequired: Int?
    }

    /// A timer still pending in the current stay.
    public struct PendingTimer: Sendable, Codable, Equatable {
        public var event: String
        public var at: Date
    }

    /// Where an exchange stands: its step, since when, who acts next, its deadlines, open
    /// incidents and its last three steps.
    public struct Status: Sendable, Codable, Equatable {
        public var id: UUID
        public var country: String
        public var partner: String?
        public var goal: String
        public var state: String
        public var stateDescription: String?
        /// The status bar's step the state shows as, when its definition labels it (`public-step`).
        public var publicStep: String?
        public var isFinal: Bool
        public var since: Date
        public var waitingFor: [Waiter]
        public var deadlines: [PendingTimer]
        public var openIncidents: [String]
        public var recent: [TimelineLine]
    }

    /// The status of one exchange as `actor` may see it (an official only her country's
    /// exchanges and those her country is the partner of).
    public func status(_ id: UUID, for actor: ExchangeActor) async throws -> Status {
        let logger = self.logger
        let (exchange, goal, entry, isFinal, stateDefinition, timers) = try await client.withConnection { connection in
            let exchange = try await LockedExchange.read(id, on: connection, logger: logger)
            try exchange.roles(of: actor).requireVisible(actor, exchange: id.uuidString.lowercased())
            let rows = try await connection.query("""
                SELECT r.development_goal, i.state_entry, i.is_final, i.workflow_version
                FROM exchange_requests r JOIN engine_instances i ON i.id = r.exchange_id WHERE r.exchange_id = \(id)
                """, logger: logger).collect()
            let (goal, entry, isFinal, version) = try rows[0].decode((String, Int64, Bool, Int).self)
            let stateDefinition = try await self.engine.definition(Self.workflow, version: version, on: connection).state(exchange.state)
            let timerRows = try await connection.query("""
                SELECT payload->>'event', run_at FROM queue_jobs
                WHERE kind = 'workflow-timer' AND (payload->>'instance')::uuid = \(id) AND (payload->>'stateEntry')::bigint = \(entry)
                ORDER BY run_at
                """, logger: logger).collect()
            let timers = try timerRows.map { (row: PostgresRow) -> PendingTimer in
                let (event, at) = try row.decode((String, Date).self)
                return PendingTimer(event: event, at: at)
            }
            return (exchange, goal, entry, isFinal, stateDefinition, timers)
        }
        _ = entry
        let history = Self.hidingVoters(try await engine.history(of: id), from: actor)
        let steps = try await publicSteps(of: history.suffix(3))
        let work = try await engine.waitingWork(roles: nil, workflow: Self.workflow, instances: [id]).first
        var waiters: [Waiter] = []
        for action in work?.actions ?? [] {
            let country = action.role == "official" ? exchange.country : action.role == "partner-official" ? exchange.partner : nil
            if let index = waiters.firstIndex(where: { $0.role == action.role }) {
                if !waiters[index].events.contains(action.event) { waiters[index].events.append(action.event) }
            } else {
                waiters.append(Waiter(role: action.role, country: country, events: [action.event],
                                      approvalsSoFar: action.approvalsSoFar, approvalsRequired: action.approvalsRequired))
            }
        }
        let incidents = try await engine.incidents(instance: id).map { "\($0.task) (\($0.attempts) attempts): \($0.lastError)" }
        let since = work?.since ?? Self.stayStart(history)?.occurredAt ?? Date(timeIntervalSince1970: 0)
        return Status(id: id, country: exchange.country, partner: exchange.partner, goal: goal, state: exchange.state,
                      stateDescription: stateDefinition?.description, publicStep: stateDefinition?.publicStep, isFinal: isFinal, since: since, waitingFor: waiters, deadlines: timers,
                      openIncidents: incidents, recent: history.suffix(3).map { TimelineLine.step($0, publicStep: steps($0)) })
    }

    /// The exchange's whole history as readable lines, with its notifications.
    public func timeline(_ id: UUID, for actor: ExchangeActor) async throws -> [TimelineLine] {
        let logger = self.logger
        let notifications = try await client.withConnection { connection in
            let exchange = try await LockedExchange.read(id, on: connection, logger: logger)
            try exchange.roles(of: actor).requireVisible(actor, exchange: id.uuidString.lowercased())
            return try await NotificationStore.list(id, on: connection, logger: logger)
        }
        let history = Self.hidingVoters(try await engine.history(of: id), from: actor)
        return TimelineLine.merge(steps: history, notifications: notifications, publicStep: try await publicSteps(of: history))
    }

    /// The history as `actor` may read it: officials never see approvers (docs/security.md), so
    /// for them a vote on the grant is the role's (``TimelineLine/hiddenVoter``), without the
    /// payload that holds her comment. One rule for the timeline, the status and the history.
    public static func hidingVoters(_ history: [HistoryRecord], from actor: ExchangeActor) -> [HistoryRecord] {
        guard !actor.seesApprovers else { return history }
        return history.map { record in
            guard !record.vote.isEmpty else { return record }
            var hidden = record
            hidden.actorID = TimelineLine.hiddenVoter
            hidden.payload = "{}"
            return hidden
        }
    }

    /// The public step each history record's state shows as, read from the definition of the
    /// version the record was taken under (definitions are cached by the engine).
    func publicSteps(of history: some Sequence<HistoryRecord>) async throws -> @Sendable (HistoryRecord) -> String? {
        var definitions: [Int: WorkflowDefinition] = [:]
        for version in Set(history.map(\.workflowVersion)) {
            definitions[version] = try await engine.definition(Self.workflow, version: version)
        }
        return { [definitions] record in definitions[record.workflowVersion]?.state(record.to)?.publicStep }
    }

    /// The history entry that began the current stay: the last one that changed state (or the start).
    static func stayStart(_ history: [HistoryRecord]) -> HistoryRecord? {
        history.last { $0.from != $0.to || $0.seq == 1 }
    }
}
