import Foundation
import Logging
import MeridianWorkflow
import PostgresNIO

extension Exchanges {
    /// The person as the workflow sees her on instance `id` when it is an exchange — her
    /// workflow roles decided by her country (official on her own exchanges, partner-official
    /// where her country is the partner) — or `nil` when the instance is no exchange.
    ///
    /// For generic commands (`meridian instance fire`), so that an official of one country
    /// cannot take another country's exchange's steps with her global role.
    /// - Throws: `.notFound` when she may not see the exchange at all (as for an unknown id).
    public func workflowActor(for actor: ExchangeActor, instance id: UUID) async throws -> WorkflowActor? {
        let logger = self.logger
        return try await client.withConnection { connection in
            let rows = try await connection.query("SELECT 1 FROM exchange_requests WHERE exchange_id = \(id)", logger: logger).collect()
            guard !rows.isEmpty else { return nil }
            let exchange = try await LockedExchange.read(id, on: connection, logger: logger)
            let roles = exchange.roles(of: actor)
            try roles.requireVisible(actor, exchange: id.uuidString.lowercased())
            return Self.workflowActor(actor, roles: roles)
        }
    }
}
