import Foundation
import Logging
import MeridianEngine
import PostgresNIO

/// The notification and reminder tasks (and `invite-partner`): each writes messages for the
/// roles that must know or act, in one transaction, once per job.
enum NotificationTasks {
    static let names: Set<String> = [
        "notify-submitted", "notify-information-requested", "notify-declined", "notify-withdrawn", "notify-cancelled",
        "notify-partner", "notify-escalation", "send-reminder", "notify-closed", "notify-no-matches",
    ]

    /// Who hears of it: a role, and for officials their country.
    struct Recipient: Equatable {
        var role: String
        var country: String?
    }

    /// What the messages are written from.
    struct Facts {
        var id: String
        var country: String
        var countryName: String
        var goal: String
        /// The partner chosen and not declined.
        var partner: String?
        /// The latest partner that declined, and why.
        var declined: (country: String, reason: String)?
        var matchNote: String?
        var experienceID: Int?
    }

    static func run(_ input: TaskInput, context: TaskContext, logger: Logger) async throws -> TaskResult {
        try await context.transaction(logger: logger) { connection in
            let facts = try await facts(input.instanceID, on: connection, logger: logger)
            for (recipient, message) in messages(task: input.task, state: input.taskState, facts: facts) {
                try await NotificationStore.write(
                    ExchangeNotification(task: input.task, recipientRole: recipient.role, recipientCountry: recipient.country,
                                         message: message, createdAt: input.now),
                    exchange: input.instanceID, jobID: input.jobID, on: connection, logger: logger)
            }
        }
        return .done
    }

    /// The messages of `task`, sent from a step into or within `state`.
    static func messages(task: String, state: String, facts: Facts) -> [(Recipient, String)] {
        let official = Recipient(role: "official", country: facts.country)
        let partner = facts.partner.map { Recipient(role: "partner-official", country: $0) }
        let manager = Recipient(role: "program-manager", country: nil)
        let request = "the exchange \(facts.id) (\(facts.countryName): \(MatchSummary.shorten(facts.goal, to: 80)))"
        switch task {
        case "notify-submitted":
            return [(manager, "New request: \(request). Take it into screening (start-screening).")]
        case "notify-information-requested":
            return [(official, "The program manager asks for more information on \(request); answer with provide-info.")]
        case "notify-declined":
            let why = facts.matchNote.map { " Matching found: \($0)." } ?? ""
            return [(official, "Your request \(request) was declined.\(why)"), (manager, "Declined: \(request).\(why)")]
        case "notify-no-matches":
            let why = facts.matchNote.map { " Matching found: \($0)." } ?? ""
            return [(manager, "No country matched \(request) well enough.\(why) Rematch (after asking the official to sharpen the request) or cancel."),
                    (official, "No partner country matched your request \(request) yet; the program manager reviews it.")]
        case "notify-withdrawn":
            return [(manager, "Withdrawn by \(facts.countryName): \(request).")]
        case "notify-cancelled":
            var list = [(official, "Cancelled by the program manager: \(request).")]
            if let partner { list.append((partner, "Cancelled: \(request), which \(partner.country ?? "") had been invited to.")) }
            return list
        case "invite-partner":
            guard let partner else { return [] }
            return [(partner, "\(facts.countryName) invites \(partner.country ?? "") to share its experience: \(request). Confirm with `meridian exchange confirm \(facts.id)` or decline with a reason.")]
        case "notify-partner":
            let what = facts.declined.map { "\($0.country) declined the invitation: \($0.reason)." } ?? "The partner declined the invitation."
            return [(official, "\(what) Choose another partner for \(request).")]
        case "notify-escalation":
            return [(Recipient(role: "supervisor", country: nil), "Overdue in \(state): \(request). Decide or hand it over."),
                    (manager, "Overdue in \(state): \(request).")]
        case "send-reminder":
            let waiting: Recipient = switch state {
            case "partner-confirmation": partner ?? manager
            case "draft", "information-requested", "partner-selection", "planning", "implementation", "report-overdue": official
            default: manager
            }
            return [(waiting, "Reminder: \(request) waits for you in \(state).")]
        case "notify-closed":
            let experience = facts.experienceID.map { " Its report is experience \($0) in the knowledge base." } ?? ""
            var list = [(official, "Closed: \(request).\(experience)")]
            if let partner { list.append((partner, "Closed: \(request). Thank you for sharing your experience.\(experience)")) }
            return list
        default:
            return []
        }
    }

    static func facts(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Facts {
        let rows = try await connection.query("""
            SELECT r.country_code, r.country_name, r.development_goal,
                   (SELECT country_code FROM exchange_partner_choices p WHERE p.exchange_id = r.exchange_id AND p.response <> 'declined'),
                   (SELECT country_code FROM exchange_partner_choices p WHERE p.exchange_id = r.exchange_id AND p.response = 'declined' ORDER BY seq DESC LIMIT 1),
                   (SELECT reason FROM exchange_partner_choices p WHERE p.exchange_id = r.exchange_id AND p.response = 'declined' ORDER BY seq DESC LIMIT 1),
                   (SELECT note FROM exchange_match_rounds m WHERE m.exchange_id = r.exchange_id ORDER BY round DESC LIMIT 1),
                   (SELECT experience_id FROM exchange_publications x WHERE x.exchange_id = r.exchange_id)
            FROM exchange_requests r WHERE r.exchange_id = \(id)
            """, logger: logger).collect()
        guard let row = rows.first else {
            throw ExchangeError(.notFound, "no exchange request has the id \(id.uuidString.lowercased())")
        }
        let (country, name, goal, partner, declined, reason, note, experience) =
            try row.decode((String, String, String, String?, String?, String?, String?, Int?).self)
        return Facts(id: id.uuidString.lowercased(), country: country, countryName: name, goal: goal, partner: partner,
                     declined: declined.map { ($0, reason ?? "") }, matchNote: note, experienceID: experience)
    }
}
