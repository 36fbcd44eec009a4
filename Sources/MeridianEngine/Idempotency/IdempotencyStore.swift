import Foundation
import Logging
import PostgresNIO

/// The first outcome of each event fired with an idempotency key, per instance.
///
/// Looked up and written under the instance's row lock, so two deliveries of one key take
/// turns and the second finds the first's outcome.
enum IdempotencyStore {
    static func find(instance: UUID, key: String, on connection: PostgresConnection, logger: Logger) async throws -> (event: String, outcome: FireOutcome)? {
        let rows = try await connection.query("""
            SELECT event, outcome::text FROM engine_event_keys WHERE instance_id = \(instance) AND key = \(key)
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (event, outcome) = try row.decode((String, String).self)
        return (event, try JSONDecoder().decode(FireOutcome.self, from: Data(outcome.utf8)))
    }

    static func record(_ outcome: FireOutcome, key: String, on connection: PostgresConnection, logger: Logger) async throws {
        let text = String(decoding: try JSONEncoder().encode(outcome), as: UTF8.self)
        try await connection.query("""
            INSERT INTO engine_event_keys (instance_id, key, event, outcome)
            VALUES (\(outcome.instanceID), \(key), \(outcome.event), \(text)::jsonb)
            """, logger: logger)
    }
}
