import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianExchange
import MeridianShippedWorkflows
import MeridianWorkflow
import Testing

/// The pure parts of the desk: the verb → event table, the duration figures, the timeline wording.
@Suite("The desk: verbs, figures, timeline")
struct DeskTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    func exchange() throws -> WorkflowDefinition {
        try #require(try WorkflowLoader(registry: ExchangeFixture.configuration().registry).load(contentsOf: ShippedWorkflows.url(named: "knowledge-exchange")).validDefinition)
    }

    func choice(_ verb: DeskVerb, _ state: String, _ roles: Set<String>, actor: String? = nil, snapshot: InstanceSnapshot? = nil) throws -> String {
        let definition = try exchange()
        let snapshot = snapshot ?? InstanceSnapshot(state: state, enteredAt: now)
        switch verb.choose(among: definition.openActions(in: snapshot, roles: roles, actorID: actor), in: state, of: definition) {
        case .fire(let action): return action.event
        case .pickUp(let action): return "pick-up:\(action.event)"
        case .nothing: return "-"
        }
    }

    @Test("approve takes the state's forward decision or the approving vote; reject the way out or back; request-info its event")
    func verbToEvent() throws {
        let manager: Set<String> = ["program-manager"]
        #expect(try choice(.approve, "screening", manager) == "accept")
        #expect(try choice(.reject, "screening", manager) == "decline")
        #expect(try choice(.requestInfo, "screening", manager) == "request-info")
        #expect(try choice(.approve, "match-review", manager) == "approve-matches")
        #expect(try choice(.reject, "match-review", manager) == "rematch")
        #expect(try choice(.approve, "results-review", manager) == "accept-report")
        #expect(try choice(.reject, "results-review", manager) == "request-revision")
        #expect(try choice(.requestInfo, "results-review", manager) == "-")
        #expect(try choice(.approve, "screening-escalated", manager) == "accept")
        #expect(try choice(.reject, "screening-escalated", ["supervisor"]) == "decline")
        #expect(try choice(.approve, "funding-review", ["fund-approver"]) == "approve-grant")
        #expect(try choice(.reject, "funding-review", ["fund-approver"]) == "reject-grant")
        #expect(try choice(.approve, "disbursement", ["finance-officer"]) == "disburse")
        #expect(try choice(.approve, "partner-confirmation", ["partner-official"]) == "confirm")
        #expect(try choice(.reject, "partner-confirmation", ["partner-official"]) == "decline-invitation")
    }

    @Test("a single way forward is a pick-up, not a decision; nothing fits for the wrong role")
    func pickUpsAndNothing() throws {
        #expect(try choice(.approve, "submitted", ["program-manager"]) == "pick-up:start-screening")
        #expect(try choice(.reject, "submitted", ["program-manager"]) == "-", "withdraw is the official's exit, not a rejection")
        #expect(try choice(.approve, "planning", ["official"]) == "pick-up:submit-plan")
        #expect(try choice(.approve, "screening", ["official"]) == "-")
        #expect(try choice(.approve, "funding-review", ["program-manager"]) == "-")
        #expect(try choice(.approve, "closed", ["program-manager"]) == "-")
        let authored = InstanceSnapshot(state: "funding-review", enteredAt: now, firedBy: ["submit-plan": ["olga"]])
        #expect(try choice(.approve, "funding-review", ["fund-approver"], actor: "olga", snapshot: authored) == "-",
                "the plan's author has no vote open")
    }

    @Test("median of odd and even counts, worst, and the count covered")
    func durations() {
        let odd = DurationFigure(days: [5, 1, 3])
        #expect(odd.count == 3 && odd.medianDays == 3 && odd.worstDays == 5)
        let even = DurationFigure(days: [4, 1, 2, 10])
        #expect(even.medianDays == 3 && even.worstDays == 10)
        #expect(even.text == "median 3.0 d, worst 10.0 d (4 exchanges)")
        let none = DurationFigure(days: [])
        #expect(none.count == 0 && none.medianDays == nil && none.text == "no exchange yet")
    }

    @Test("a timeline line names time, who, event with the taken event, from → to and the comment")
    func timelineWording() {
        func record(_ seq: Int64, _ event: String, taken: String, _ from: String, _ to: String, payload: String, vote: String = "", at: Date) -> HistoryRecord {
            HistoryRecord(instanceID: UUID(), seq: seq, workflowVersion: 1, event: event, takenEvent: taken, actorID: "pm", actorKind: .person,
                          actorRoles: "program-manager", from: from, to: to, occurredAt: at, detail: "", payload: payload, vote: vote,
                          idempotencyKey: nil, previousHash: "", hash: "")
        }
        let accept = TimelineLine.step(record(3, "accept", taken: "accept", "screening", "matching", payload: #"{"comment":"complete"}"#, at: now))
        #expect(accept.text == "2027-01-15T08:00:00Z  pm  accept  screening → matching  — \"complete\"")
        let vote = TimelineLine.step(record(9, "approve-grant", taken: "grant-approved", "funding-review", "disbursement", payload: "{}",
                                            vote: "grant:approve", at: now))
        #expect(vote.event == "approve-grant (vote grant:approve) → grant-approved" && vote.comment == nil)
        let note = ExchangeNotification(task: "notify-submitted", recipientRole: "program-manager", recipientCountry: nil,
                                        message: "A request waits", createdAt: now)
        let merged = TimelineLine.merge(steps: [record(1, "start", taken: "start", "", "draft", payload: "{}", at: now.addingTimeInterval(-60))],
                                        notifications: [note])
        #expect(merged.map(\.kind) == [.step, .notification])
        #expect(merged[0].text.contains("(start) → draft"))
        #expect(merged[1].text == "2027-01-15T08:00:00Z  program-manager  notify-submitted  — A request waits")
    }
}
