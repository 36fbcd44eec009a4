import Foundation
import MeridianCodes
import Logging
import MeridianService
import PostgresNIO

/// Opens the configured database and the service over it, or the configured server: the
/// CLI's only ways to act.
enum ServiceSession {
    /// Runs `body` with the people's actions as the user whose token MERIDIAN_TOKEN (or
    /// `meridian login`) supplies: through the server when `--server` or MERIDIAN_SERVER names
    /// one, else on the database. Exit status 77 before anything is touched when there is no
    /// token or it is refused.
    static func actions<Result: Sendable>(_ options: ServiceOptions, _ body: (any PeopleActions) async throws -> Result) async throws -> Result {
        if let server = try options.serverAddress() {
            guard let (token, source) = try ActingUser.configuredToken() else { throw ActingUser.noToken }
            do {
                return try await APIClient.with(server, token: token) { client in try await body(RemoteActions(api: client)) }
            } catch let error as ServiceError where error.kind == .unauthenticated {
                throw ActingUser.refused(source, error)
            }
        }
        return try await runLocally(options.database) { service, caller in try await body(LocalActions(service: service, caller: caller)) }
    }

    /// Runs `body` with the knowledge base's public reads: through the server when one is
    /// configured (with the token if there is one), else on the database; no token needed.
    static func knowledge<Result: Sendable>(_ options: ServiceOptions, _ body: (any KnowledgeReads) async throws -> Result) async throws -> Result {
        if let server = try options.serverAddress() {
            let configured = try ActingUser.configuredToken()
            do {
                return try await APIClient.with(server, token: configured?.token) { client in try await body(RemoteKnowledgeReads(api: client)) }
            } catch let error as ServiceError where error.kind == .unauthenticated {
                if let configured { throw ActingUser.refused(configured.source, error) }
                throw error
            }
        }
        return try await runAsOperator(options.database) { service in try await body(LocalKnowledgeReads(service: service)) }
    }

    /// Runs `body` as the user whose token MERIDIAN_TOKEN (or `meridian login`) supplies; exit
    /// status 77 before anything is touched when there is none or it is refused. Refused when
    /// MERIDIAN_SERVER is set: the command has no way through the server yet.
    static func run<Result: Sendable>(_ database: DatabaseOptions, _ body: (MeridianService, Caller) async throws -> Result) async throws -> Result {
        try RemoteCommands.refuseIfServerConfigured()
        return try await runLocally(database, body)
    }

    private static func runLocally<Result: Sendable>(_ database: DatabaseOptions, _ body: (MeridianService, Caller) async throws -> Result) async throws -> Result {
        try await database.withClient { client, logger in
            let service = try MeridianService(client: client, logger: logger)
            return try await body(service, try await ActingUser.resolve(service))
        }
    }

    /// Runs `body` with the service and no caller: operator commands on the local database
    /// (deploy, audit, queue, incidents), which need access to the database itself.
    static func runAsOperator<Result: Sendable>(_ database: DatabaseOptions, _ body: (MeridianService) async throws -> Result) async throws -> Result {
        try await database.withClient { client, logger in try await body(try MeridianService(client: client, logger: logger)) }
    }
}
