import Foundation
import Logging
import PostgresNIO

/// What `audit verify` found.
public struct AuditReport: Sendable, Hashable, Codable {
    /// The first place where the chain does not hold.
    public struct BrokenLink: Sendable, Hashable, Codable, CustomStringConvertible {
        public var instanceID: UUID
        /// The entry that fails, or `nil` when the instance row disagrees with its history.
        public var seq: Int64?
        public var reason: String

        public var description: String {
            "instance \(instanceID.uuidString.lowercased())" + (seq.map { " entry \($0)" } ?? "") + ": \(reason)"
        }
    }

    public var instances: Int
    public var entries: Int
    public var firstBroken: BrokenLink?
    public var isIntact: Bool { firstBroken == nil }
}

extension WorkflowEngine {
    /// Recomputes the hash chain of every instance (or one) and checks that each instance's
    /// row — version, state, head hash — agrees with the end of its history. Stops at the
    /// first broken link.
    public func verifyHistory(instance: UUID? = nil) async throws -> AuditReport {
        if let instance { _ = try await self.instance(instance) }
        let heads = try await client.query("""
            SELECT id, version, state, history_hash FROM engine_instances
            WHERE \(instance)::uuid IS NULL OR id = \(instance) ORDER BY id
            """, logger: logger).collect()
        var report = AuditReport(instances: 0, entries: 0, firstBroken: nil)
        for head in heads {
            let (id, version, state, headHash) = try head.decode((UUID, Int64, String, String).self)
            report.instances += 1
            let rows = try await client.query("""
                SELECT \(unescaped: HistoryStore.columns) FROM engine_history WHERE instance_id = \(id) ORDER BY seq
                """, logger: logger)
            var previous = HistoryChain.genesis
            var expectedSeq: Int64 = 1
            var last: HistoryRecord?
            for try await row in rows {
                let record = try HistoryStore.record(from: row)
                report.entries += 1
                if report.firstBroken != nil { continue }
                if record.seq != expectedSeq {
                    report.firstBroken = .init(instanceID: id, seq: record.seq, reason: "entry \(expectedSeq) is missing (found \(record.seq) after \(expectedSeq - 1))")
                } else if record.previousHash != previous {
                    report.firstBroken = .init(instanceID: id, seq: record.seq, reason: "its previous hash does not match the hash of entry \(record.seq - 1)")
                } else if HistoryChain.hash(of: record, previous: previous) != record.hash {
                    report.firstBroken = .init(instanceID: id, seq: record.seq, reason: "its content does not match its hash (the entry was changed)")
                }
                previous = record.hash
                expectedSeq += 1
                last = record
            }
            if report.firstBroken != nil { return report }
            if last?.seq != version || last?.hash != headHash || last?.to != state {
                report.firstBroken = .init(instanceID: id, seq: nil,
                    reason: "the instance is at version \(version) in \(state), but its history ends at entry \(last?.seq ?? 0) in \(last?.to ?? "nothing") (entries missing or the instance row changed)")
                return report
            }
        }
        return report
    }
}
