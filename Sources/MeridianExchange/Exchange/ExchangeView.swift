import Foundation
import Logging
import MeridianPostgres
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

    /// The view, read in one statement (``Statement``): the request with the instance's state,
    /// and the partners, the latest matches, plans, reports and notifications as ``ChildRows``
    /// columns of it.
    /// - Parameter actor: when given, refused as not found unless she may see the exchange —
    ///   decided from the same rows, as ``LockedExchange`` decides it.
    static func read(_ id: UUID, visibleTo actor: ExchangeActor?, on connection: PostgresConnection, logger: Logger) async throws -> ExchangeView {
        guard let row = try await PreparedReads.rows(of: Statement(id: id), on: connection, logger: logger).first else { throw LockedExchange.notFound(id.uuidString.lowercased()) }
        let (state, isFinal, updatedAt, experience, archivedAt, country, name, region, income, goal, challenge, objective, sectors, instruments,
             indicators, filedBy, filedAt, partnerRows, round, planRows, reportRows, notificationRows) = try row.decode(
                (String, Bool, Date, Int?, Date?, String, String, String, String, String, String, String, [String], [String], String, String, Date,
                 String?, String?, String?, String?, String?).self)
        let request = try RequestStore.stored((country, name, region, income, goal, challenge, objective, sectors, instruments, indicators, filedBy, filedAt))
        let partners = try ChildRows.decode(Partner.Columns.self, from: partnerRows).map(\.partner)
        if let actor {
            try requireVisible(to: actor, id: id, requestingCountry: request.country, partnerCountry: partners.last { $0.response != "declined" }?.country)
        }
        return ExchangeView(
            id: id, state: state, isFinal: isFinal, request: request,
            matches: try ChildRows.decodeOne(MatchStore.RoundColumns.self, from: round)?.round, partners: partners,
            plans: try ChildRows.decode(PlanStore.Columns.self, from: planRows).map(\.plan),
            reports: try ChildRows.decode(ReportStore.Columns.self, from: reportRows).map(\.report),
            publishedExperienceID: experience, archivedAt: archivedAt,
            notifications: try ChildRows.decode(NotificationStore.Columns.self, from: notificationRows).map(\.notification),
            updatedAt: updatedAt)
    }

    /// The view's one statement, prepared once per connection (``PreparedReads``): reading an
    /// exchange is the API's most frequent request, and parsing and planning this statement cost
    /// PostgreSQL more than running it.
    struct Statement: PostgresPreparedStatement {
        static let sql = """
            SELECT i.state, i.is_final, i.updated_at,
                   (SELECT experience_id FROM exchange_publications p WHERE p.exchange_id = i.id),
                   (SELECT archived_at FROM exchange_archive a WHERE a.exchange_id = i.id),
                   \(RequestStore.columns),
                   \(Partner.aggregate(of: "i.id")),
                   \(MatchStore.latestAggregate(of: "i.id")),
                   \(PlanStore.aggregate(of: "i.id")),
                   \(ReportStore.aggregate(of: "i.id")),
                   \(NotificationStore.aggregate(of: "i.id"))
            FROM engine_instances i JOIN exchange_requests r ON r.exchange_id = i.id WHERE i.id = $1
            """
        var id: UUID

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    /// The partner chosen and not declined.
    public var currentPartner: Partner? { partners.last { $0.response != "declined" } }

    /// Refuses, as not found, unless `actor` may see this exchange: what ``read(_:visibleTo:on:logger:)``
    /// decides, for a view kept from an earlier read (``ExchangeViewCache``).
    public func requireVisible(to actor: ExchangeActor) throws {
        try Self.requireVisible(to: actor, id: id, requestingCountry: request.country, partnerCountry: currentPartner?.country)
    }

    private static func requireVisible(to actor: ExchangeActor, id: UUID, requestingCountry: String, partnerCountry: String?) throws {
        try ExchangeRoles(actor: actor, requestingCountry: requestingCountry, partnerCountry: partnerCountry)
            .requireVisible(actor, exchange: id.uuidString.lowercased())
    }
}

extension ExchangeView.Partner {
    /// Every partner chosen for `exchange` (an SQL expression), in order, as ``ChildRows`` of
    /// ``Columns``.
    static func aggregate(of exchange: String) -> String {
        """
        (SELECT json_agg(json_build_array(country_code, chosen_by, \(ChildRows.timestamp("chosen_at")), response, responded_by,
                                          \(ChildRows.timestamp("responded_at")), reason) ORDER BY seq)::text
         FROM exchange_partner_choices WHERE exchange_id = \(exchange))
        """
    }

    /// A partner of ``aggregate(of:)``.
    struct Columns: Decodable {
        var partner: ExchangeView.Partner

        init(from decoder: any Decoder) throws {
            var columns = try decoder.unkeyedContainer()
            partner = ExchangeView.Partner(
                country: try columns.decode(String.self), chosenBy: try columns.decode(String.self), chosenAt: try columns.decodeTimestamp(),
                response: try columns.decode(String.self), respondedBy: try columns.decodeIfPresent(String.self),
                respondedAt: try columns.decodeTimestampIfPresent(), reason: try columns.decodeIfPresent(String.self))
        }
    }
}
