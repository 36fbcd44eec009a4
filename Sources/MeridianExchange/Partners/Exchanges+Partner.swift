import Foundation
import Logging
import MeridianEngine
import PostgresNIO

extension Exchanges {
    /// What a partner step did.
    public struct PartnerStep: Sendable, Codable, Equatable {
        public var country: String
        public var state: String
        public var replayed: Bool
    }

    /// The requesting official chooses `country` among the latest matches; the exchange waits
    /// for that country's official to confirm (the `invite-partner` task tells them).
    public func selectPartner(_ country: String, exchange id: UUID, by actor: ExchangeActor, key: String? = nil) async throws -> PartnerStep {
        let country = country.uppercased()
        let logger = self.logger
        return try await transaction { connection in
            let exchange = try await LockedExchange.lock(id, on: connection, logger: logger)
            let roles = exchange.roles(of: actor)
            try roles.requireVisible(actor, exchange: id.uuidString.lowercased())
            if let replay = try await replayed(key: key, event: "select-partner", exchange: id, on: connection) {
                return PartnerStep(country: exchange.partner ?? country, state: replay.to, replayed: true)
            }
            try roles.require("official", actor, to: "choose the partner")
            try exchange.require(state: ["partner-selection"], to: "choose a partner")
            let round = try await MatchStore.latest(id, on: connection, logger: logger)
            guard let round, round.matches.contains(where: { $0.countryCode == country }) else {
                let offered = round?.matches.map(\.countryCode).joined(separator: ", ") ?? "none"
                throw ExchangeError(.invalidArgument, "\(country) is not among this exchange's matches (\(offered))",
                                    hint: "choose one of them; see `meridian exchange matches \(id.uuidString.lowercased())`")
            }
            let declined = try await connection.query("""
                SELECT reason FROM exchange_partner_choices WHERE exchange_id = \(id) AND country_code = \(country) AND response = 'declined'
                ORDER BY seq DESC LIMIT 1
                """, logger: logger).collect()
            if let row = declined.first {
                throw ExchangeError(.conflict, "\(country) already declined this exchange (\(try row.decode(String.self)))",
                                    hint: "choose another of the matches")
            }
            let now = self.now()
            // Back in selection with an invitation still open: it lapsed unanswered (the
            // workflow's `partner-unresponsive` timer). Close it, so that a new choice can stand
            // and the silent country loses its view of the exchange. (Should the step below be
            // refused, this rolls back with it.)
            try await connection.query("""
                UPDATE exchange_partner_choices
                SET response = 'declined', responded_by = 'timer', responded_at = \(now), reason = 'no answer before the invitation lapsed'
                WHERE exchange_id = \(id) AND response = 'pending'
                """, logger: logger)
            try await connection.query("""
                INSERT INTO exchange_partner_choices (exchange_id, seq, country_code, chosen_by, chosen_at)
                SELECT \(id), coalesce(max(seq), 0) + 1, \(country), \(actor.id), \(now)
                FROM exchange_partner_choices WHERE exchange_id = \(id)
                """, logger: logger)
            let outcome = try await fireOrThrow(FireRequest(
                instanceID: id, event: "select-partner", data: ["partner": .string(country)],
                actor: Self.workflowActor(actor, roles: roles), idempotencyKey: key,
                contextChanges: ["partner-selected": .string("true"), "partner": .string(country)]), on: connection)
            return PartnerStep(country: country, state: outcome.to, replayed: false)
        }
    }

    /// The chosen country's official confirms: the partner country joins the exchange, which
    /// moves on to planning.
    public func confirmPartnership(exchange id: UUID, by actor: ExchangeActor, key: String? = nil) async throws -> PartnerStep {
        try await answer(exchange: id, by: actor, key: key, confirm: true, reason: nil)
    }

    /// The chosen country's official declines, with a reason: the exchange goes back to
    /// partner selection and the requesting official is told why.
    public func declinePartnership(exchange id: UUID, reason: String, by actor: ExchangeActor, key: String? = nil) async throws -> PartnerStep {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 2_000 else {
            throw ExchangeError(.invalidArgument, "declining needs a reason of 1 to 2,000 characters",
                                hint: "say why, so the requesting official can choose better: --reason \"…\"")
        }
        return try await answer(exchange: id, by: actor, key: key, confirm: false, reason: reason)
    }

    private func answer(exchange id: UUID, by actor: ExchangeActor, key: String?, confirm: Bool, reason: String?) async throws -> PartnerStep {
        let event = confirm ? "confirm" : "decline-invitation"
        let logger = self.logger
        return try await transaction { connection in
            let exchange = try await LockedExchange.lock(id, on: connection, logger: logger)
            let roles = exchange.roles(of: actor)
            do {
                try roles.requireVisible(actor, exchange: id.uuidString.lowercased())
            } catch {
                // Declining takes the country's view of the exchange away; her retry with the key still gets her answer.
                guard let replay = try await replayedOwn(key: key, event: event, exchange: id, actor: actor, on: connection) else { throw error }
                return PartnerStep(country: actor.country ?? "", state: replay.to, replayed: true)
            }
            if let replay = try await replayed(key: key, event: event, exchange: id, on: connection) {
                return PartnerStep(country: actor.country ?? "", state: replay.to, replayed: true)
            }
            try roles.require("partner-official", actor, to: confirm ? "confirm the partnership" : "decline the invitation")
            try exchange.require(state: ["partner-confirmation"], to: confirm ? "confirm the partnership" : "decline the invitation")
            guard let partner = exchange.partner, exchange.partnerResponse == "pending" else {
                throw ExchangeError(.conflict, "no invitation waits for an answer on this exchange")
            }
            try await connection.query("""
                UPDATE exchange_partner_choices SET response = \(confirm ? "confirmed" : "declined"), responded_by = \(actor.id),
                       responded_at = \(self.now()), reason = \(reason)
                WHERE exchange_id = \(id) AND response = 'pending'
                """, logger: logger)
            var data: [String: JSONValue] = ["partner": .string(partner)]
            var changes: [String: JSONValue] = [:]
            if let reason {
                data["reason"] = .string(reason)
                changes = ["partner-selected": .string("false"), "partner": .null, "declined_reason": .string(reason)]
            } else {
                changes = ["partner_confirmed": .string(partner)]
            }
            let outcome = try await fireOrThrow(FireRequest(instanceID: id, event: event, data: data,
                                                            actor: Self.workflowActor(actor, roles: roles), idempotencyKey: key,
                                                            contextChanges: changes), on: connection)
            return PartnerStep(country: partner, state: outcome.to, replayed: false)
        }
    }
}
