import Foundation
import Logging
import MeridianEngine
import PostgresNIO

extension Exchanges {
    /// What submitting a report or a review did.
    public struct ReportStep: Sendable, Codable, Equatable {
        public var version: Int
        public var state: String
        public var replayed: Bool
    }

    /// The requesting official submits the results report (a new version each time): it is
    /// checked against the request's indicators, stored, and `submit-report` fires with the
    /// document the workflow's guard asks for — one transaction.
    public func submitReport(_ report: ResultsReport, exchange id: UUID, by actor: ExchangeActor, key: String? = nil) async throws -> ReportStep {
        let logger = self.logger
        let textProblems = report.textProblems()
        guard textProblems.isEmpty else {
            throw ExchangeError(.invalidData, "the report is not valid: " + textProblems.joined(separator: "; "), hint: "correct the file and submit it again")
        }
        return try await transaction { connection in
            let exchange = try await LockedExchange.lock(id, on: connection, logger: logger)
            let roles = exchange.roles(of: actor)
            try roles.requireVisible(actor, exchange: id.uuidString.lowercased())
            if let replay = try await replayed(key: key, event: "submit-report", exchange: id, on: connection) {
                let latest = try await ReportStore.latest(id, on: connection, logger: logger)
                return ReportStep(version: latest?.version ?? 0, state: replay.to, replayed: true)
            }
            try roles.require("official", actor, to: "submit the results report")
            try exchange.require(state: ["implementation", "report-overdue"], to: "submit the results report")
            let request = try await RequestStore.read(id, on: connection, logger: logger)
            let problems = report.problems(against: request.indicators)
            guard problems.isEmpty else {
                throw ExchangeError(.invalidData, "the report is not valid: " + problems.joined(separator: "; "),
                                    hint: "correct the file and submit it again")
            }
            let rows = try await connection.query("""
                INSERT INTO exchange_reports (exchange_id, version, report, submitted_by, submitted_at)
                SELECT \(id), coalesce(max(version), 0) + 1, \(try JSONText.encode(report))::jsonb, \(actor.id), \(self.now())
                FROM exchange_reports WHERE exchange_id = \(id)
                RETURNING version
                """, logger: logger).collect()
            let version = try rows[0].decode(Int.self)
            let outcome = try await fireOrThrow(FireRequest(
                instanceID: id, event: "submit-report", data: ["document.results-report": .string("report v\(version)")],
                actor: Self.workflowActor(actor, roles: roles), idempotencyKey: key,
                contextChanges: ["report_version": .integer(Int64(version))]), on: connection)
            return ReportStep(version: version, state: outcome.to, replayed: false)
        }
    }

    /// A program manager's decision on the latest report.
    public enum ReviewDecision: String, Sendable, Codable, CaseIterable {
        /// Close the exchange; the report becomes an experience in the knowledge base.
        case accept
        /// Send it back to the official for a revised report (a comment says what to change).
        case revise
    }

    /// Reviews the latest results report: `accept` closes the exchange (`accept-report`,
    /// whose `publish-experience` task adds it to the knowledge base); `revise` sends it back
    /// (`request-revision`) and needs a comment.
    public func review(_ decision: ReviewDecision, comment: String?, exchange id: UUID, by actor: ExchangeActor,
                       key: String? = nil) async throws -> ReportStep {
        let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if decision == .revise, (comment ?? "").isEmpty {
            throw ExchangeError(.invalidArgument, "asking for a revision needs a comment saying what to change", hint: "add --comment \"…\"")
        }
        let event = decision == .accept ? "accept-report" : "request-revision"
        let logger = self.logger
        return try await transaction { connection in
            let exchange = try await LockedExchange.lock(id, on: connection, logger: logger)
            let roles = exchange.roles(of: actor)
            try roles.requireVisible(actor, exchange: id.uuidString.lowercased())
            if let replay = try await replayed(key: key, event: event, exchange: id, on: connection) {
                let latest = try await ReportStore.latest(id, on: connection, logger: logger)
                return ReportStep(version: latest?.version ?? 0, state: replay.to, replayed: true)
            }
            try roles.require("program-manager", actor, to: "review the results report")
            try exchange.require(state: ["results-review"], to: "review the results report")
            guard let latest = try await ReportStore.latest(id, on: connection, logger: logger) else {
                throw ExchangeError(.conflict, "the exchange has no results report to review")
            }
            try await connection.query("""
                INSERT INTO exchange_reviews (exchange_id, report_version, decision, comment, reviewer, reviewed_at)
                VALUES (\(id), \(latest.version), \(decision.rawValue), \(comment), \(actor.id), \(self.now()))
                """, logger: logger)
            var data: [String: JSONValue] = ["report_version": .integer(Int64(latest.version))]
            if let comment, !comment.isEmpty { data["comment"] = .string(comment) }
            let outcome = try await fireOrThrow(FireRequest(instanceID: id, event: event, data: data,
                                                            actor: Self.workflowActor(actor, roles: roles), idempotencyKey: key), on: connection)
            return ReportStep(version: latest.version, state: outcome.to, replayed: false)
        }
    }
}
