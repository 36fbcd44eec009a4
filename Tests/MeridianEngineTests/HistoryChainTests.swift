import Foundation
import MeridianEngine
import MeridianWorkflow
import Testing

@Suite("The history chain's hash")
struct HistoryChainTests {
    private let record = HistoryRecord(
        instanceID: UUID(uuidString: "0B7C1F8E-4D1A-4C55-9A43-2F1E6C3B9D10")!, seq: 2, workflowVersion: 1, event: "approve",
        takenEvent: "approve", actorID: "ana", actorKind: .person, actorRoles: "fund-approver", from: "approval", to: "approval",
        occurredAt: Date(timeIntervalSince1970: 1_800_000_000.123456), detail: "vote 1 of 2", payload: "{}", vote: "grant:approve",
        idempotencyKey: nil, previousHash: "", hash: "")

    @Test("every field and the previous hash go into the hash")
    func everyFieldCounts() {
        let base = HistoryChain.hash(of: record, previous: HistoryChain.genesis)
        var changes: [HistoryRecord] = []
        for mutate in [
            { (r: inout HistoryRecord) in r.seq = 3 }, { $0.workflowVersion = 2 }, { $0.event = "reject" }, { $0.takenEvent = "approved" },
            { $0.actorID = "bob" }, { $0.actorKind = .system }, { $0.actorRoles = "" }, { $0.from = "x" }, { $0.to = "y" },
            { $0.occurredAt = $0.occurredAt.addingTimeInterval(0.000001) }, { $0.detail = "" }, { $0.payload = #"{"a":"b"}"# },
            { $0.vote = "" }, { $0.idempotencyKey = "" }, { $0.instanceID = UUID() },
        ] {
            var changed = record
            mutate(&changed)
            changes.append(changed)
        }
        for changed in changes {
            #expect(HistoryChain.hash(of: changed, previous: HistoryChain.genesis) != base)
        }
        #expect(HistoryChain.hash(of: record, previous: String(repeating: "1", count: 64)) != base)
        #expect(HistoryChain.hash(of: record, previous: HistoryChain.genesis) == base)
        #expect(base.count == 64)
    }

    @Test("values cannot run into the next field")
    func noAmbiguity() {
        var first = record
        first.detail = "a\nb"
        var second = record
        second.detail = "a"
        second.payload = "b\n" + record.payload
        #expect(HistoryChain.content(of: first) != HistoryChain.content(of: second))
    }
}
