import Foundation
import MeridianEngine

/// One readable line of an exchange's timeline: a workflow step or a notification.
public struct TimelineLine: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case step, notification }
    public var kind: Kind
    public var at: Date
    /// Who: a handle, `timer`, a task, or for a notification its recipients ("official COD").
    public var who: String
    /// The event, with the event finally taken when an approval decided ("approve-grant → grant-approved").
    public var event: String
    public var from: String?
    public var to: String?
    /// The public step `to` shows as, when the exchange's definition labels it (`public-step`).
    public var publicStep: String?
    /// The comment or reason the person gave, or the notification's message.
    public var comment: String?

    /// The line for one history entry; the comment is the payload's `comment`, else its `reason`.
    /// Who a vote was cast by, for readers who may not know approvers (``Exchanges/hidingVoters(_:from:)``).
    public static let hiddenVoter = "fund-approver"

    /// - Parameter publicStep: the step the definition names for the state entered, if any.
    public static func step(_ record: HistoryRecord, publicStep: String? = nil) -> TimelineLine {
        let payload = (try? JSONValue.parseObject(record.payload, what: "the history payload")) ?? [:]
        var comment: String?
        for key in ["comment", "reason"] {
            if case .string(let text)? = payload[key], !text.isEmpty { comment = text; break }
        }
        var event = record.event
        if !record.vote.isEmpty { event += " (vote \(record.vote))" }
        if record.takenEvent != record.event, !record.takenEvent.isEmpty { event += " → \(record.takenEvent)" }
        return TimelineLine(kind: .step, at: record.occurredAt, who: record.actorID, event: event,
                            from: record.from.isEmpty ? nil : record.from, to: record.to, publicStep: publicStep, comment: comment)
    }

    public static func notification(_ notification: ExchangeNotification) -> TimelineLine {
        TimelineLine(kind: .notification, at: notification.createdAt,
                     who: notification.recipientRole + (notification.recipientCountry.map { " \($0)" } ?? ""),
                     event: notification.task, from: nil, to: nil, comment: notification.message)
    }

    /// Steps and notifications in time order; at equal times a step comes before the notification it caused.
    /// - Parameter publicStep: the step a record's definition names for the state it entered.
    public static func merge(steps: [HistoryRecord], notifications: [ExchangeNotification],
                             publicStep: (HistoryRecord) -> String? = { _ in nil }) -> [TimelineLine] {
        let lines = steps.map { step($0, publicStep: publicStep($0)) } + notifications.map(notification)
        return lines.enumerated().sorted { a, b in
            if a.element.at != b.element.at { return a.element.at < b.element.at }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// `2026-11-29T16:03:12Z  pm  accept  screening → matching  — "complete"`.
    public var text: String {
        let formatter = ISO8601DateFormatter()
        var line = "\(formatter.string(from: at))  \(who)  \(event)"
        if kind == .step { line += "  \(from ?? "(start)") → \(to ?? "")" }
        if let comment { line += kind == .step ? "  — \"\(comment)\"" : "  — \(comment)" }
        return line
    }
}
