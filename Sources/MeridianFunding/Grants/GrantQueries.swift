import Foundation
import Logging
import MeridianEngine
import MeridianWorkflow
import PostgresNIO
import MeridianPostgres

/// What people and commands read about grants.
public struct GrantQueries: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Grants, oldest first; of one fund when `fund` is given.
    public func list(fund: String? = nil) async throws -> [Grant] {
        try await GrantStore.grants(fund: fund, on: client, logger: logger)
    }

    /// Grants with the state of their exchange (`nil` for a grant without one), oldest first;
    /// of one fund when `fund` is given. Two queries, however many grants.
    public func listWithExchangeStates(fund: String? = nil) async throws -> [(grant: Grant, exchangeState: String?)] {
        let grants = try await list(fund: fund)
        let instances = grants.compactMap(\.instanceID)
        let rows = try await client.query("SELECT id, state FROM engine_instances WHERE id = ANY(\(instances))", logger: logger).collect()
        let states = Dictionary(uniqueKeysWithValues: try rows.map { try $0.decode((UUID, String).self) })
        return grants.map { ($0, $0.instanceID.flatMap { states[$0] }) }
    }

    /// The grant whose id, id prefix (8+ hex digits) or exchange instance id is `text`.
    public func find(_ text: String) async throws -> Grant {
        let lowered = text.lowercased()
        var matches: [Grant] = []
        if let id = UUID(uuidString: lowered) {
            // A whole id names a grant, or the exchange whose grant it is (one grant per exchange).
            matches = try await GrantStore.grants(where: .id(id), on: client, logger: logger)
            if matches.isEmpty { matches = try await GrantStore.grants(where: .instance(id), on: client, logger: logger) }
        } else if lowered.count >= 8, lowered.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
            matches = try await GrantStore.grants(idPrefix: lowered, on: client, logger: logger)
        }
        guard matches.count == 1 else {
            throw FundingError(matches.isEmpty ? .notFound : .invalidInput,
                               matches.isEmpty ? "no grant matches '\(text)'" : "'\(text)' matches \(matches.count) grants; give more digits",
                               hint: "see meridian grant list")
        }
        return matches[0]
    }

    /// Who requested, wrote the plan of, and voted on the grant (from the exchange's history).
    public func duties(of grant: Grant) async throws -> GrantDuties {
        guard let instance = grant.instanceID else { return GrantDuties() }
        return try await GrantDuties.read(instance: instance, on: client, logger: logger)
    }

    /// The payment instructions of the grant, oldest first.
    public func instructions(of grant: Grant) async throws -> [PaymentInstruction] {
        try await PaymentStore.list(grant: grant.id, client: client, logger: logger)
    }

    /// The state its exchange is in, when it has one.
    public func exchangeState(of grant: Grant) async throws -> String? {
        guard let instance = grant.instanceID else { return nil }
        let rows = try await client.query("SELECT state FROM engine_instances WHERE id = \(instance)", logger: logger).collect()
        return try rows.first?.decode(String.self)
    }
}

/// Fund approvers' decisions on a grant, fired on its exchange with the grant's status in one transaction.
public struct GrantDecisions: Sendable {
    public let engine: WorkflowEngine
    public let logger: Logger

    public init(engine: WorkflowEngine, logger: Logger) {
        self.engine = engine
        self.logger = logger
    }

    /// Approves (`approve-grant`) or rejects (`reject-grant`) the grant as `actor`.
    ///
    /// The engine applies the approval rules (role, quorum by amount, distinct approvers); the
    /// vote that reaches the quorum commits the money in the same transaction (`commit-funds`),
    /// or is refused with the reason. A rejection marks the grant rejected with the step.
    ///
    /// With `idempotencyKey`, deciding again with the same key returns the first outcome and
    /// changes nothing.
    public func decide(_ grant: Grant, approve: Bool, actor: WorkflowActor, comment: String?, idempotencyKey: String? = nil) async throws -> FireOutcome {
        guard let instance = grant.instanceID else {
            throw FundingError(.conflict, "the grant \(grant.id.short) belongs to no exchange, so it has no approval to vote on")
        }
        let logger = self.logger
        let engine = self.engine
        return try await engine.client.transaction(logger: logger) { connection in
            var data: [String: JSONValue] = [:]
            if let comment, !comment.isEmpty { data["comment"] = .string(comment) }
            let outcome = try await engine.fire(FireRequest(instanceID: instance, event: approve ? "approve-grant" : "reject-grant",
                                                            data: data, actor: actor, idempotencyKey: idempotencyKey), on: connection)
            if outcome.status == .applied, !outcome.replayed, !approve, outcome.from != outcome.to {
                _ = try await GrantStore.locked(instance: instance, on: connection, logger: logger)
                try await GrantStore.setStatus(.rejected, grant: grant.id, on: connection, logger: logger)
            }
            return outcome
        }
    }
}
