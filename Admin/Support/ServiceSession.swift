import Foundation
import Logging
import MeridianService
import PostgresNIO

/// Opens the configured database and the service over it: the CLI's only way to act.
enum ServiceSession {
    /// Runs `body` as the user whose token MERIDIAN_TOKEN (or `meridian login`) supplies; exit
    /// status 77 before anything is touched when there is none or it is refused.
    static func run<Result: Sendable>(_ database: DatabaseOptions, _ body: (MeridianService, Caller) async throws -> Result) async throws -> Result {
        try await database.withClient { client, logger in
            let service = try MeridianService(client: client, logger: logger)
            return try await body(service, try await ActingUser.resolve(service))
        }
    }

    /// Runs `body` with the caller when a token is configured, `nil` otherwise: for the
    /// operator's views of the local database (`instance show` without a token).
    static func runOptionalCaller<Result: Sendable>(_ database: DatabaseOptions, _ body: (MeridianService, Caller?) async throws -> Result) async throws -> Result {
        try await database.withClient { client, logger in
            let service = try MeridianService(client: client, logger: logger)
            return try await body(service, try await ActingUser.resolveIfPresent(service))
        }
    }

    /// Runs `body` with the service and no caller: operator commands on the local database
    /// (deploy, audit, queue, incidents), which need access to the database itself.
    static func runAsOperator<Result: Sendable>(_ database: DatabaseOptions, _ body: (MeridianService) async throws -> Result) async throws -> Result {
        try await database.withClient { client, logger in try await body(try MeridianService(client: client, logger: logger)) }
    }
}
