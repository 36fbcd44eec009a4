import Foundation
import Logging
import PostgresNIO

/// The first outcome of each event fired with an idempotency key, per instance.
///
/// Looked up with the instance's row lock (``LockedInstance/lock(_:key:on:logger:)``) and
/// written under it, so two deliveries of one key take turns and the second finds the
/// first's outcome. An applied step writes its key in ``StepWrite``; a refusal here.
enum IdempotencyStore {
    static func record(_ outcome: FireOutcome, key: String, on connection: PostgresConnection, logger: Logger) async throws {
        let text = String(decoding: try JSONEncoder().encode(outcome), as: UTF8.self)
        try await connection.query("""
            INSERT INTO engine_event_keys (instance_id, key, event, outcome)
            VALUES (\(outcome.instanceID), \(key), \(outcome.event), \(text)::jsonb)
            """, logger: logger)
    }
}
