import ArgumentParser
import Foundation
import MeridianEngine
import MeridianIdentity
import MeridianPostgres
import MeridianWorkflow

/// Opens the configured database and runs `body` with an engine over it.
enum EngineSession {
    ///
    /// The engine has every domain's task handlers (``EngineHandlers``), so an event fired here
    /// runs its in-step tasks inside its step.
    static func run<Result: Sendable>(_ database: DatabaseOptions, _ body: (WorkflowEngine) async throws -> Result) async throws -> Result {
        try await database.withClient { client, logger in
            try await body(try EngineHandlers.engine(client: client, logger: logger))
        }
    }

    /// Like ``run(_:_:)``, for commands that act as a person: the token's user comes along,
    /// and without a valid token the command stops with exit status 77 before touching anything.
    static func runAsActingUser<Result: Sendable>(
        _ database: DatabaseOptions, _ body: (WorkflowEngine, User) async throws -> Result
    ) async throws -> Result {
        try await database.withClient { client, logger in
            let user = try await ActingUser.resolve(client: client, logger: logger)
            return try await body(try EngineHandlers.engine(client: client, logger: logger), user)
        }
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
