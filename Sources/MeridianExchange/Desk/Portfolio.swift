import Foundation
import Logging
import MeridianEngine
import PostgresNIO

/// The portfolio at a glance: exchanges by step, country and sector; how fast requests get
/// to an approved grant and approved grants to a first payment; which exchanges are late.
///
/// Computed from the engine history: a request's time is its `submit` step, approval the step
/// whose taken event is `grant-approved`, first payment the first `payment-confirmed` (the
/// bank's confirmation of the first instalment). The fund is the one of the exchange's grant
/// (`funding_grants`); exchanges without a grant yet count under "(no grant yet)".
public struct Portfolio: Sendable, Codable, Equatable {
    public struct Count: Sendable, Codable, Equatable {
        public var key: String
        public var count: Int
    }

    /// An exchange whose current stay has seen a timer fire (a reminder or an escalation).
    public struct Late: Sendable, Codable, Equatable {
        public var id: UUID
        public var country: String
        public var state: String
        public var timerEvent: String
        public var firedAt: Date
    }

    public var exchanges: Int
    public var byState: [Count]
    public var byCountry: [Count]
    public var bySector: [Count]
    public var byFund: [Count]
    /// Days from the request (`submit`) to grant approval (`grant-approved`).
    public var requestToApproval: DurationFigure
    /// Days from grant approval to the first `payment-confirmed`.
    public var approvalToPayment: DurationFigure
    public var late: [Late]
}

extension Exchanges {
    /// The portfolio of the exchanges `actor` may see (staff: all; an official: her country's
    /// and those her country is the partner of).
    public func portfolio(for actor: ExchangeActor) async throws -> Portfolio {
        let staff = !actor.roles.intersection(ExchangeActor.staffRoles.union(["admin"])).isEmpty
        let own: String? = staff ? nil : (actor.roles.contains(ExchangeActor.officialRole) ? (actor.country ?? "-") : "-")
        let logger = self.logger
        return try await client.withConnection { connection in
            let rows = try await connection.query("""
                SELECT r.exchange_id, r.country_code, i.state, r.sectors, coalesce(g.fund_id, '(no grant yet)'),
                       (SELECT min(h.occurred_at_us) FROM engine_history h WHERE h.instance_id = i.id AND h.taken_event = 'submit'),
                       (SELECT min(h.occurred_at_us) FROM engine_history h WHERE h.instance_id = i.id AND h.taken_event = 'grant-approved'),
                       (SELECT min(h.occurred_at_us) FROM engine_history h WHERE h.instance_id = i.id AND h.taken_event = 'payment-confirmed'),
                       (SELECT h.taken_event || ' ' || h.occurred_at_us FROM engine_history h
                        WHERE h.instance_id = i.id AND h.actor_id = 'timer'
                          AND h.seq >= (SELECT max(s.seq) FROM engine_history s WHERE s.instance_id = i.id AND (s.from_state <> s.to_state OR s.seq = 1))
                        ORDER BY h.seq DESC LIMIT 1)
                FROM exchange_requests r
                JOIN engine_instances i ON i.id = r.exchange_id
                LEFT JOIN exchange_partner_choices p ON p.exchange_id = r.exchange_id AND p.response <> 'declined'
                LEFT JOIN funding_grants g ON g.instance_id = r.exchange_id
                WHERE (\(own)::text IS NULL OR r.country_code = \(own) OR p.country_code = \(own))
                ORDER BY r.filed_at, r.exchange_id
                """, logger: logger).collect()
            var states: [String: Int] = [:], countries: [String: Int] = [:], sectors: [String: Int] = [:], funds: [String: Int] = [:]
            var toApproval: [Double] = [], toPayment: [Double] = [], late: [Portfolio.Late] = []
            for row in rows {
                let (id, country, state, sectorList, fund, submitted, approved, paid, timer) =
                    try row.decode((UUID, String, String, [String], String, Int64?, Int64?, Int64?, String?).self)
                funds[fund, default: 0] += 1
                states[state, default: 0] += 1
                countries[country, default: 0] += 1
                for sector in sectorList { sectors[sector, default: 0] += 1 }
                if let submitted, let approved { toApproval.append(Double(approved - submitted) / 86_400_000_000) }
                if let approved, let paid { toPayment.append(Double(paid - approved) / 86_400_000_000) }
                if let timer, let space = timer.lastIndex(of: " "), let micros = Int64(timer[timer.index(after: space)...]) {
                    late.append(Portfolio.Late(id: id, country: country, state: state, timerEvent: String(timer[..<space]),
                                               firedAt: Date(timeIntervalSince1970: Double(micros) / 1_000_000)))
                }
            }
            func counts(_ table: [String: Int]) -> [Portfolio.Count] {
                table.map { Portfolio.Count(key: $0.key, count: $0.value) }.sorted { ($1.count, $0.key) < ($0.count, $1.key) }
            }
            return Portfolio(exchanges: rows.count, byState: counts(states), byCountry: counts(countries), bySector: counts(sectors), byFund: counts(funds),
                             requestToApproval: DurationFigure(days: toApproval), approvalToPayment: DurationFigure(days: toPayment),
                             late: late.sorted { $0.firedAt < $1.firedAt })
        }
    }
}
