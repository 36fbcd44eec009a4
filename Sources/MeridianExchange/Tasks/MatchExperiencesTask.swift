import Foundation
import Logging
import MeridianEngine
import PostgresNIO

/// `match-experiences`: runs the ``Matcher`` on the request, stores the round (each match
/// with its score parts, summary and reasons), tells the program manager what it found, and
/// fires `matches-found` (context `matches` = how many) or `no-matches`.
enum MatchExperiencesTask {
    static func run(_ input: TaskInput, context: TaskContext, logger: Logger) async throws -> TaskResult {
        let id = input.instanceID
        let request = try await context.client.withConnection { connection in
            try await RequestStore.read(id, on: connection, logger: logger)
        }.request
        guard let region = request.region, let income = request.incomeGroup else {
            throw ExchangeError(.invalidData, "the stored request of \(id) has no region or income group")
        }
        let matcher = Matcher(client: context.client, logger: logger, index: context.matchIndex)
        let result = try await matcher.match(MatchRequest(text: request.matchText, sectors: request.sectors, countryCode: request.country,
                                                          region: region, incomeGroup: income))
        let count = min(result.matches.count, MatchResult.wanted)
        let round = try await context.transaction(logger: logger) { connection in
            let stored = try await MatchStore.store(result, exchange: id, jobID: input.jobID, now: input.now, on: connection, logger: logger)
            let countries = result.matches.prefix(MatchResult.wanted).map { "\($0.countryName) (\(String(format: "%.2f", $0.score)))" }
            let message = count == 0
                ? "No country matched the request of \(request.country): \(result.note)."
                : "Matching round \(stored.round) for \(request.country): \(countries.joined(separator: ", ")). \(result.note)."
            try await NotificationStore.write(
                ExchangeNotification(task: input.task, recipientRole: "program-manager", recipientCountry: nil, message: message, createdAt: input.now),
                exchange: id, jobID: input.jobID, on: connection, logger: logger)
            return stored.round
        }
        let changes: [String: JSONValue] = ["matches": .integer(Int64(count)), "match_round": .integer(Int64(round)),
                                            "match_status": .string(result.status.rawValue)]
        return .fire(count == 0 ? "no-matches" : "matches-found", data: ["note": .string(result.note)], context: changes)
    }
}
