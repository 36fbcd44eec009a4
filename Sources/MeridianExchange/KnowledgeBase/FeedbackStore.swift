import Foundation
import Logging
import MeridianPostgres
import PostgresNIO

/// Officials' feedback on experiences: whether an experience their exchange was matched with
/// was useful, and why. It is shown with the experience and feeds the matcher's outcome
/// component (``MatchingWeights/feedbackStep``, capped at ``MatchingWeights/feedbackCap``).
public struct FeedbackStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// One official's word on one experience, for one exchange.
    public struct Feedback: Sendable, Codable, Equatable {
        public var experienceID: Int
        public var exchangeID: UUID
        public var official: String
        public var useful: Bool
        public var comment: String?
        public var givenAt: Date
    }

    /// The longest comment kept.
    public static let commentLength = 2_000

    /// Records (or replaces) `actor`'s feedback on `experienceId` for `exchangeId`.
    ///
    /// Only an official of the exchange's requesting country may give it, and only on an
    /// experience one of the exchange's match rounds proposed: feedback is worth counting
    /// because it comes from someone who was offered the experience for a real problem.
    /// - Throws: ``ExchangeError`` `.invalidArgument` for an empty or long comment,
    ///   `.notFound` for an unknown exchange or experience, `.permissionDenied` for anyone else,
    ///   `.refused` when the exchange was never matched with the experience.
    public func give(
        experienceId: Int, exchangeId: UUID, useful: Bool, comment: String?, by actor: ExchangeActor, now: Date = Date()
    ) async throws -> Feedback {
        let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let comment, comment.isEmpty || comment.count > Self.commentLength {
            throw ExchangeError(.invalidArgument, "a comment has 1 to \(Self.commentLength) characters, this one has \(comment.count)", hint: "shorten it, or leave --comment out")
        }
        let exchange = exchangeId.uuidString.lowercased()
        return try await client.transaction(logger: logger) { connection in
            let experiences = try await connection.query("SELECT 1 FROM experiences WHERE id = \(experienceId)", logger: logger).collect()
            guard !experiences.isEmpty else {
                throw ExchangeError(.notFound, "no experience has the id \(experienceId)", hint: "see `meridian kb list`")
            }
            let requests = try await connection.query(
                "SELECT country_code FROM exchange_requests WHERE exchange_id = \(exchangeId)", logger: logger
            ).collect()
            guard let row = requests.first else {
                throw ExchangeError(.notFound, "no exchange has the id \(exchange)", hint: "see `meridian exchange list`")
            }
            let country = try row.decode(String.self)
            guard actor.roles.contains(ExchangeActor.officialRole), actor.country == country else {
                throw ExchangeError(.permissionDenied, "\(actor.id) may not give feedback for the exchange \(exchange): only officials of its requesting country (\(country)) do",
                                    hint: "sign in as one of them")
            }
            let matched = try await connection.query(
                "SELECT 1 FROM exchange_matches WHERE exchange_id = \(exchangeId) AND experience_id = \(experienceId) LIMIT 1", logger: logger
            ).collect()
            guard !matched.isEmpty else {
                throw ExchangeError(.refused, "the exchange \(exchange) was never matched with experience \(experienceId), so its officials cannot judge it",
                                    hint: "see the exchange's matches with `meridian exchange matches \(exchange)`")
            }
            try await connection.query(
                """
                INSERT INTO experience_feedback (experience_id, exchange_id, official, useful, comment, given_at)
                VALUES (\(experienceId), \(exchangeId), \(actor.id), \(useful), \(comment), \(now))
                ON CONFLICT (experience_id, exchange_id, official) DO UPDATE
                SET useful = excluded.useful, comment = excluded.comment, given_at = excluded.given_at
                """,
                logger: logger
            )
            return Feedback(experienceID: experienceId, exchangeID: exchangeId, official: actor.id, useful: useful, comment: comment, givenAt: now)
        }
    }

    /// The exchanges through which `actor` may judge `experienceId`: those of her country
    /// (she is one of its officials) that a match round proposed the experience to, newest
    /// first — what ``give(experienceId:exchangeId:useful:comment:by:now:)`` accepts.
    public func exchangesThatMayJudge(_ experienceId: Int, by actor: ExchangeActor) async throws -> [(id: UUID, goal: String)] {
        guard actor.roles.contains(ExchangeActor.officialRole), let country = actor.country else { return [] }
        let rows = try await client.query(
            """
            SELECT r.exchange_id, r.development_goal FROM exchange_requests r
            WHERE r.country_code = \(country)
              AND EXISTS (SELECT 1 FROM exchange_matches m WHERE m.exchange_id = r.exchange_id AND m.experience_id = \(experienceId))
            ORDER BY r.filed_at DESC, r.exchange_id DESC LIMIT 50
            """,
            logger: logger
        )
        var result: [(id: UUID, goal: String)] = []
        for try await (id, goal) in rows.decode((UUID, String).self) { result.append((id, goal)) }
        return result
    }

    /// Every feedback on `experienceId`, latest first.
    public func feedback(on experienceId: Int) async throws -> [Feedback] {
        let rows = try await client.query(
            """
            SELECT exchange_id, official, useful, comment, given_at FROM experience_feedback
            WHERE experience_id = \(experienceId) ORDER BY given_at DESC, official
            """,
            logger: logger
        )
        var result: [Feedback] = []
        for try await (exchange, official, useful, comment, at) in rows.decode((UUID, String, Bool, String?, Date).self) {
            result.append(Feedback(experienceID: experienceId, exchangeID: exchange, official: official, useful: useful, comment: comment, givenAt: at))
        }
        return result
    }
}
