import Foundation
import Logging
import MeridianEngine
import PostgresNIO

/// An exchange read under its instance's row lock, inside the caller's transaction: its
/// state, context, requesting country and current partner. Checks made on it hold until the
/// transaction ends, because no other step can move the instance meanwhile.
struct LockedExchange: Sendable {
    var id: UUID
    var state: String
    var context: [String: JSONValue]
    var country: String
    /// The country chosen as partner and not (yet) declined.
    var partner: String?
    var partnerResponse: String?

    static func lock(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> LockedExchange {
        try await read(id, lock: true, on: connection, logger: logger)
    }

    /// The exchange as it is now; with `lock`, under the instance's row lock.
    static func read(_ id: UUID, lock: Bool = false, on connection: PostgresConnection, logger: Logger) async throws -> LockedExchange {
        let rows = try await connection.query("""
            SELECT i.state, i.context::text, r.country_code,
                   (SELECT p.country_code FROM exchange_partner_choices p WHERE p.exchange_id = i.id AND p.response <> 'declined'),
                   (SELECT p.response FROM exchange_partner_choices p WHERE p.exchange_id = i.id AND p.response <> 'declined')
            FROM engine_instances i JOIN exchange_requests r ON r.exchange_id = i.id
            WHERE i.id = \(id)
            \(unescaped: lock ? "FOR UPDATE OF i" : "")
            """, logger: logger).collect()
        guard let row = rows.first else { throw notFound(id.uuidString.lowercased()) }
        let (state, context, country, partner, response) = try row.decode((String, String, String, String?, String?).self)
        return LockedExchange(id: id, state: state, context: try JSONDecoder().decode([String: JSONValue].self, from: Data(context.utf8)),
                              country: country, partner: partner, partnerResponse: response)
    }

    /// The refusal for an id that names no exchange the person may see.
    static func notFound(_ id: String) -> ExchangeError {
        ExchangeError(.notFound, "no exchange has the id \(id)", hint: "see `meridian exchange list`")
    }

    func roles(of actor: ExchangeActor) -> ExchangeRoles {
        // An invited partner's official sees and answers the invitation; after confirming she
        // takes part with the same role.
        ExchangeRoles(actor: actor, requestingCountry: country, partnerCountry: partner)
    }

    /// Throws `.conflict` unless the exchange is in one of `states`.
    func require(state states: Set<String>, to action: String) throws {
        guard states.contains(state) else {
            throw ExchangeError(.conflict, "cannot \(action): the exchange is in \(state), and that is done in \(states.sorted().joined(separator: " or "))",
                                hint: "see `meridian exchange show \(id.uuidString.lowercased())` for where it stands")
        }
    }
}
