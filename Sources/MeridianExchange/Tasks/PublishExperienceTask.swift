import Foundation
import Logging
import MeridianEngine
import PostgresNIO

/// `publish-experience`: on the accepted report, writes the exchange as a new experience in
/// the knowledge base (and refreshes the term statistics the matcher plans with), so the next
/// request can be matched against it. Publishing again updates the same experience.
enum PublishExperienceTask {
    static func run(_ input: TaskInput, context: TaskContext, logger: Logger) async throws -> TaskResult {
        try await context.transaction(logger: logger) { connection in
            let view = try await ExchangeView.read(input.instanceID, on: connection, logger: logger)
            guard let report = view.reports.last else {
                throw ExchangeError(.conflict, "the exchange \(input.instanceID) has no results report to publish")
            }
            let plan = view.plans.last(where: { $0.submittedAt != nil })?.plan ?? view.plans.last?.plan
            let experience = try ExperienceFromReport.make(id: input.instanceID, now: input.now, request: view.request.request,
                                                           partner: view.currentPartner?.country, plan: plan, report: report.report)
            _ = try await ExperienceStore.upsert([experience], on: connection, logger: logger)
            let rows = try await connection.query("""
                SELECT id FROM experiences WHERE country_code = \(experience.countryCode) AND programme = \(experience.programme)
                """, logger: logger).collect()
            let experienceID = try rows[0].decode(Int.self)
            try await connection.query("""
                INSERT INTO exchange_publications (exchange_id, experience_id, published_at)
                VALUES (\(input.instanceID), \(experienceID), \(input.now))
                ON CONFLICT (exchange_id) DO UPDATE SET experience_id = excluded.experience_id, published_at = excluded.published_at
                """, logger: logger)
        }
        return .done
    }
}
