import Foundation
import Logging
import MeridianEngine
import PostgresNIO

extension Exchanges {
    /// The first outcome of an action retried with the same idempotency key, or `nil` for a
    /// new key. Checked before any domain row is written, so a retry writes nothing twice;
    /// the engine keeps the key with the step (table `engine_event_keys`).
    func replayed(key: String?, event: String, exchange: UUID, on connection: PostgresConnection) async throws -> FireOutcome? {
        guard let key else { return nil }
        let rows = try await connection.query(
            "SELECT event, outcome::text FROM engine_event_keys WHERE instance_id = \(exchange) AND key = \(key)",
            logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (firstEvent, outcome) = try row.decode((String, String).self)
        guard firstEvent == event else {
            throw ExchangeError(.conflict, "the idempotency key \(key) was used for '\(firstEvent)' on this exchange, not '\(event)'",
                                hint: "use a new key for a new action")
        }
        var first = try JSONDecoder().decode(FireOutcome.self, from: Data(outcome.utf8))
        first.replayed = true
        return first
    }

    /// The first outcome of `actor`'s own step taken with `key`, for a person who no longer
    /// sees the exchange because of that very step — a partner official who declined the
    /// invitation — so that her retry (or a copy of her request sent at the same time) gets
    /// its answer instead of "no exchange has the id". Her step is found in the history by her
    /// id, so nobody else's key is replayed to her.
    func replayedOwn(key: String?, event: String, exchange: UUID, actor: ExchangeActor, on connection: PostgresConnection) async throws -> FireOutcome? {
        guard let key else { return nil }
        let own = try await connection.query("""
            SELECT 1 FROM engine_history WHERE instance_id = \(exchange) AND idempotency_key = \(key) AND actor_id = \(actor.id) AND event = \(event)
            """, logger: logger).collect()
        guard !own.isEmpty else { return nil }
        return try await replayed(key: key, event: event, exchange: exchange, on: connection)
    }
}
