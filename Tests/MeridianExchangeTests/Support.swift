import Foundation
import Logging
import MeridianExchange
import MeridianPostgres
import MeridianTestSupport
import PostgresNIO

/// A fresh migrated database and a client on it, for one test.
func withKnowledgeBase<Result: Sendable>(
    seeded: Bool = false,
    _ body: (PostgresClient, Logger, TestDatabase) async throws -> Result
) async throws -> Result {
    try await TestDatabase.withFresh { database in
        try await withPostgresClient(database.settings, logger: database.logger) { client in
            if seeded { _ = try await ExperienceImporter.store(try SeedCatalogue.experiences(), client: client, logger: database.logger) }
            return try await body(client, database.logger, database)
        }
    }
}

func count(_ client: PostgresClient, _ logger: Logger) async throws -> Int {
    for try await value in try await client.query("SELECT count(*)::int8 FROM experiences", logger: logger).decode(Int.self) {
        return value
    }
    return 0
}

/// A valid experience for tests that need one of their own.
func sample(_ code: String, _ programme: String, region: Region = .subSaharanAfrica, income: IncomeGroup = .low,
            sectors: [Sector] = [.socialProtection], text: String = "cash transfers to poor households", strength: OutcomeStrength = .measured) -> Experience {
    Experience(
        countryCode: code, countryName: "Country \(code)", region: region, incomeGroup: income, sectors: sectors,
        programme: programme, startYear: 2000, endYear: nil, problem: text, approach: "An approach: \(text).",
        outcomes: "Outcomes of \(text).", outcomeStrength: strength, sources: ["https://example.org/\(code)"]
    )
}
