import ArgumentParser
import Foundation
import MeridianEngine
import MeridianService
import MeridianWorkflow

/// Operator commands over the engine, and the helpers instance commands share.
enum EngineSession {
    /// Runs `body` with the engine the service assembles (every domain's task handlers, so an
    /// event fired here runs its in-step tasks inside its step): the operator's commands on the
    /// local database (deploy, audit, incidents).
    static func run<Result: Sendable>(_ database: DatabaseOptions, _ body: (WorkflowEngine) async throws -> Result) async throws -> Result {
        try await ServiceSession.runAsOperator(database) { service in try await body(service.engine) }
    }

    /// An instance id from the command line; a malformed one is a usage error.
    static func instanceID(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else {
            throw CLIFailure("'\(text)' is not an instance id; ids look like 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 (see `meridian instance list`)", status: .usage)
        }
        return id
    }

    /// A JSON object given on the command line; malformed JSON is bad input data (65).
    static func jsonObject(_ text: String?, option: String) throws -> [String: JSONValue] {
        guard let text else { return [:] }
        return try JSONValue.parseInput(text, what: option)
    }

    /// `2026-11-29 16:03:12Z` for tables.
    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withSpaceBetweenDateAndTime, .withTime, .withColonSeparatorInTime]
        return formatter.string(from: date) + "Z"
    }

    static func short(_ id: UUID) -> String { id.uuidString.lowercased() }
}
