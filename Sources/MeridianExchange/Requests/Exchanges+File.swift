import Foundation
import Logging
import MeridianEngine
import MeridianWorkflow
import PostgresNIO

extension Exchanges {
    /// What filing a request did.
    public struct Filed: Sendable, Codable, Equatable {
        public var exchangeID: UUID
        public var state: String
        /// `true` when an earlier filing with the same key is returned instead.
        public var replayed: Bool
    }

    /// Files `request` for `actor`: validates it, stores it, starts the exchange's workflow
    /// instance and submits it — one transaction.
    ///
    /// - Parameter key: an idempotency key; filing again with it returns the first exchange.
    /// - Throws: `.invalidData` with every problem of the request, `.permissionDenied` unless
    ///   `actor` is an official of the requesting country.
    public func file(_ request: ExchangeRequest, by actor: ExchangeActor, key: String? = nil) async throws -> Filed {
        try request.validate()
        guard actor.roles.contains(ExchangeActor.officialRole), actor.country == request.country else {
            throw ExchangeError(.permissionDenied, "\(actor.id) may not file a request for \(request.country): only an official of \(request.country) may",
                                hint: actor.roles.contains(ExchangeActor.officialRole) ? "file requests for \(actor.country ?? "your own country")" : "ask an official of the country to file it")
        }
        let logger = self.logger
        return try await transaction { connection in
            // Filings with one key take turns: the second waits for the first to commit and
            // then finds it, instead of failing on the unique key (filed_by, idempotency_key).
            if let key {
                try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended('exchange-file:' || \(actor.id) || ':' || \(key), 0))",
                                           logger: logger)
            }
            if let key, let existing = try await Self.filed(by: actor.id, key: key, on: connection, logger: logger) {
                return existing
            }
            let profile = try await Self.profile(request, on: connection, logger: logger)
            let id = UUID()
            let now = self.now()
            let workflowActor = WorkflowActor.person(actor.id, roles: ["official"])
            let context: [String: JSONValue] = ["country": .string(request.country)]
            _ = try await engine.start(workflow: Self.workflow, context: context, actor: workflowActor, id: id, on: connection)
            try await connection.query("""
                INSERT INTO exchange_requests (exchange_id, country_code, country_name, region, income_group, development_goal,
                    institutional_challenge, change_objective, sectors, instruments, indicators, filed_by, filed_at, idempotency_key)
                VALUES (\(id), \(request.country), \(profile.name), \(profile.region.rawValue), \(profile.incomeGroup.rawValue),
                        \(request.developmentGoal), \(request.institutionalChallenge), \(request.changeObjective),
                        \(request.sectors.map(\.rawValue)), \(request.instruments.map(\.rawValue)),
                        \(try JSONText.encode(request.indicators))::jsonb, \(actor.id), \(now), \(key))
                """, logger: logger)
            let outcome = try await fireOrThrow(FireRequest(instanceID: id, event: "submit", actor: workflowActor), on: connection)
            return Filed(exchangeID: id, state: outcome.to, replayed: false)
        }
    }

    private static func filed(by actor: String, key: String, on connection: PostgresConnection, logger: Logger) async throws -> Filed? {
        let rows = try await connection.query("""
            SELECT r.exchange_id, i.state FROM exchange_requests r JOIN engine_instances i ON i.id = r.exchange_id
            WHERE r.filed_by = \(actor) AND r.idempotency_key = \(key)
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (id, state) = try row.decode((UUID, String).self)
        return Filed(exchangeID: id, state: state, replayed: true)
    }

    /// The country's name, region and income group: from the request, else from the
    /// country table (``CountryTable``), else from the knowledge base's experiences of it.
    private static func profile(_ request: ExchangeRequest, on connection: PostgresConnection, logger: Logger) async throws
        -> (name: String, region: Region, incomeGroup: IncomeGroup) {
        if let name = request.countryName, let region = request.region, let income = request.incomeGroup {
            return (name, region, income)
        }
        let table = try CountryTable.shipped().country(request.country)
        var name = request.countryName ?? table?.name
        var region = request.region ?? table?.region
        var income = request.incomeGroup ?? table?.incomeGroup
        if name == nil || region == nil || income == nil {
            let rows = try await connection.query(
                "SELECT country_name, region, income_group FROM experiences WHERE country_code = \(request.country) ORDER BY id LIMIT 1",
                logger: logger).collect()
            if let row = rows.first, let (storedName, storedRegion, storedIncome) = try? row.decode((String, String, String).self) {
                name = name ?? storedName
                region = region ?? Region(rawValue: storedRegion)
                income = income ?? IncomeGroup(rawValue: storedIncome)
            }
        }
        guard let name, let region, let income else {
            let known = table == nil ? "is not in the country table (`meridian kb countries`)" : "has no World Bank income group in the country table"
            throw ExchangeError(.invalidData, "\(request.country) \(known), so the request must say its country_name, region and income_group",
                                hint: "add them (regions: \(Region.codes); income groups: \(IncomeGroup.codes))")
        }
        return (name, region, income)
    }
}
