import Foundation
import Logging
import PostgresNIO

/// The first outcome of each event fired with an idempotency key, per instance.
///
/// Looked up after the instance's row lock is held, in a statement of its own: in READ
/// COMMITTED a statement sees what committed before it started, so the look-up sees the key
/// of a step that held the lock before us. (Joined into the locking query it would not: a
/// row lock wait re-checks only the locked row, not the joined ones — a test caught that.)
/// An applied step writes its key in ``StepWrite``; a refusal is written here. An optimistic
/// step reads the key with the instance instead (``InstanceReading``).
enum IdempotencyStore {
    static func find(instance: UUID, key: String, on connection: PostgresConnection, logger: Logger) async throws -> (event: String, outcome: FireOutcome)? {
        var found: (String, String)?
        for try await row in try await connection.execute(FindStatement(instance: instance, key: key), logger: logger) { found = row }
        guard let found else { return nil }
        let (event, outcome) = found
        return (event, try FireOutcome(storedText: outcome))
    }

    static func record(_ outcome: FireOutcome, key: String, on connection: PostgresConnection, logger: Logger) async throws {
        let text = try outcome.storedText()
        try await connection.query("""
            INSERT INTO engine_event_keys (instance_id, key, event, outcome)
            VALUES (\(outcome.instanceID), \(key), \(outcome.event), \(text)::jsonb)
            """, logger: logger)
    }

    /// Records a refusal decided against the instance at `version`, unless the instance has
    /// moved on since or the key was recorded meanwhile: then nothing is written and the
    /// caller decides again. Locks the row for the statement, as every write of a key does,
    /// so it cannot slip between a locked step's look-up and its write (NO KEY: rows that
    /// merely reference the instance need not wait).
    static func recordIfUnchanged(_ outcome: FireOutcome, key: String, version: Int64, on client: PostgresClient, logger: Logger) async throws -> Bool {
        let text = try outcome.storedText()
        let rows = try await client.query("""
            INSERT INTO engine_event_keys (instance_id, key, event, outcome)
            SELECT id, \(key), \(outcome.event), \(text)::jsonb FROM engine_instances
            WHERE id = \(outcome.instanceID) AND version = \(version)
            FOR NO KEY UPDATE
            ON CONFLICT DO NOTHING
            RETURNING 1
            """, logger: logger).collect()
        return rows.count == 1
    }

    /// The look-up, prepared once per connection: every task-driven step makes it.
    struct FindStatement: PostgresPreparedStatement {
        static let name = "meridian_engine_find_event_key_v1"
        static let sql = "SELECT event, outcome::text FROM engine_event_keys WHERE instance_id = $1::uuid AND key = $2::text"
        typealias Row = (String, String)

        var instance: UUID
        var key: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(instance)
            bindings.append(key)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}

extension FireOutcome {
    /// The outcome as `engine_event_keys.outcome` keeps it (JSON), for a replay to return.
    func storedText() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }

    init(storedText: String) throws {
        self = try JSONDecoder().decode(FireOutcome.self, from: Data(storedText.utf8))
    }
}
