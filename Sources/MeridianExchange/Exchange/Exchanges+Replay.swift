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
}
