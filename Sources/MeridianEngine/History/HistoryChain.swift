import Crypto
import Foundation
import MeridianWorkflow

/// The hash chain of an instance's history.
///
/// Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical
/// content: one `name=value` line per field, values quoted and escaped (the workflow
/// language's `CanonicalForm.escape`), so no two different entries share a text. Changing,
/// removing or reordering an entry breaks every link after it.
public enum HistoryChain {
    /// The `previous_hash` of an instance's first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The canonical text of `record`'s content (everything but the two hashes).
    public static func content(of record: HistoryRecord) -> String {
        let fields: [(String, String)] = [
            ("instance", record.instanceID.uuidString.lowercased()),
            ("seq", String(record.seq)),
            ("workflow-version", String(record.workflowVersion)),
            ("event", record.event),
            ("taken-event", record.takenEvent),
            ("actor", record.actorID),
            ("actor-kind", record.actorKind.rawValue),
            ("actor-roles", record.actorRoles),
            ("from", record.from),
            ("to", record.to),
            ("at-us", String(record.occurredAt.microsecondsSince1970)),
            ("detail", record.detail),
            ("payload", record.payload),
            ("vote", record.vote),
            ("idempotency-key", record.idempotencyKey ?? ""),
            ("has-idempotency-key", record.idempotencyKey == nil ? "no" : "yes"),
        ]
        return fields.map { "\($0.0)=\(CanonicalForm.escape($0.1))" }.joined(separator: "\n") + "\n"
    }

    /// The hash `record` must carry, given the hash of the entry before it.
    public static func hash(of record: HistoryRecord, previous: String) -> String {
        let digest = SHA256.hash(data: Array((previous + "\n" + content(of: record)).utf8))
        return digest.map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
    }

    /// `record` with its previous hash set and its own hash computed.
    static func sealed(_ record: HistoryRecord, previous: String) -> HistoryRecord {
        var sealed = record
        sealed.previousHash = previous
        sealed.hash = hash(of: record, previous: previous)
        return sealed
    }
}
