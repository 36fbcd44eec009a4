import Foundation
import Logging
import PostgresNIO

/// Everything about one exchange a person may see: `exchange show`, and the archived record.
public struct ExchangeView: Sendable, Codable, Equatable {
    public struct Partner: Sendable, Codable, Equatable {
        public var country: String
        public var chosenBy: String
        public var chosenAt: Date
        /// `pending`, `confirmed` or `declined`.
        public var response: String
        public var respondedBy: String?
        public var respondedAt: Date?
        public var reason: String?
    }

    public var id: UUID
    public var state: String
    public var isFinal: Bool
    public var request: StoredRequest
    public var matches: MatchRound?
    /// Every partner chosen, in order (declined ones kept).
    public var partners: [Partner]
    public var plans: [StoredPlan]
    public var reports: [StoredReport]
    /// The knowledge-base experience the closed exchange became.
    public var publishedExperienceID: Int?
    public var archivedAt: Date?
    public var notifications: [ExchangeNotification]
    public var updatedAt: Date

    static func read(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ExchangeView {
        try await read(id, visibleTo: nil, on: connection, logger: logger)
    }

    /// The view, read in as few statements as the parts allow (six: the request with the
    /// instance's state, the partners, the latest matches, plans, reports, notifications).
    /// - Parameter actor: when given, refused as not found unless she may see the exchange —
    ///   decided from the same rows, as ``LockedExchange`` decides it.
    static func read(_ id: UUID, visibleTo actor: ExchangeActor?, on connection: PostgresConnection, logger: Logger) async throws -> ExchangeView {
        let rows = try await connection.query("""
            SELECT i.state, i.is_final, i.updated_at,
                   (SELECT experience_id FROM exchange_publications p WHERE p.exchange_id = i.id),
                   (SELECT archived_at FROM exchange_archive a WHERE a.exchange_id = i.id),
                   \(unescaped: RequestStore.columns)
            FROM engine_instances i JOIN exchange_requests r ON r.exchange_id = i.id WHERE i.id = \(id)
            """, logger: logger).collect()
        guard let row = rows.first else { throw LockedExchange.notFound(id.uuidString.lowercased()) }
        let (state, isFinal, updatedAt, experience, archivedAt, country, name, region, income, goal, challenge, objective, sectors, instruments,
             indicators, filedBy, filedAt) = try row.decode(
                (String, Bool, Date, Int?, Date?, String, String, String, String, String, String, String, [String], [String], String, String, Date).self)
        let request = try RequestStore.stored((country, name, region, income, goal, challenge, objective, sectors, instruments, indicators, filedBy, filedAt))
        let partnerRows = try await connection.query("""
            SELECT country_code, chosen_by, chosen_at, response, responded_by, responded_at, reason
            FROM exchange_partner_choices WHERE exchange_id = \(id) ORDER BY seq
            """, logger: logger).collect()
        let partners = try partnerRows.map { row in
            let (country, by, at, response, respondedBy, respondedAt, reason) =
                try row.decode((String, String, Date, String, String?, Date?, String?).self)
            return Partner(country: country, chosenBy: by, chosenAt: at, response: response, respondedBy: respondedBy,
                           respondedAt: respondedAt, reason: reason)
        }
        if let actor {
            let partner = partners.last { $0.response != "declined" }?.country
            try ExchangeRoles(actor: actor, requestingCountry: request.country, partnerCountry: partner)
                .requireVisible(actor, exchange: id.uuidString.lowercased())
        }
        return ExchangeView(
            id: id, state: state, isFinal: isFinal, request: request,
            matches: try await MatchStore.latest(id, on: connection, logger: logger), partners: partners,
            plans: try await PlanStore.all(id, on: connection, logger: logger),
            reports: try await ReportStore.all(id, on: connection, logger: logger),
            publishedExperienceID: experience, archivedAt: archivedAt,
            notifications: try await NotificationStore.list(id, on: connection, logger: logger), updatedAt: updatedAt)
    }

    /// The partner chosen and not declined.
    public var currentPartner: Partner? { partners.last { $0.response != "declined" } }
}
