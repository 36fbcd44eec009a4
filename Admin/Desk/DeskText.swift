import Foundation
import MeridianWorkflow

/// Wording shared by the desk commands.
enum DeskText {
    /// `2026-11-29T16:03:12Z`.
    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// `accept, request-info, decline` or `approve-grant/reject-grant (vote, 1 of 2 approvals)`.
    static func actions(_ actions: [OpenAction]) -> String {
        var parts: [String] = []
        var seenApprovals: Set<String> = []
        for action in actions {
            guard let approval = action.approval else {
                parts.append(action.event)
                continue
            }
            guard seenApprovals.insert(approval).inserted else { continue }
            let events = actions.filter { $0.approval == approval }.map(\.event).joined(separator: "/")
            parts.append("\(events) (vote, \(action.approvalsSoFar ?? 0) of \(action.approvalsRequired ?? 0) approvals)")
        }
        return parts.joined(separator: ", ")
    }

    static func clip(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
