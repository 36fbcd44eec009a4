import Foundation
import MeridianService

extension ServiceSession {
    /// Runs `asCaller` with the people's actions when a server is named or a token is
    /// configured (through the server the token is always needed); otherwise `asOperator` on
    /// the local database, the operator's view with no caller (`instance show`, `fund verify`
    /// without a token, as `audit verify`).
    static func actionsOrOperator<Result: Sendable>(
        _ options: ServiceOptions,
        asCaller: (any PeopleActions) async throws -> Result,
        asOperator: (MeridianService) async throws -> Result
    ) async throws -> Result {
        let server = try options.serverAddress(), token = try ActingUser.configuredToken()
        if server != nil || token != nil { return try await actions(options, asCaller) }
        return try await runAsOperator(options.database, asOperator)
    }

    /// Runs `remote` with the people's actions when a server is named; otherwise `local` on the
    /// database: operator views (`instance list`, `incidents`, `retry`) that need no token here
    /// and a supervisor's or admin's through a server.
    static func remoteOrOperator<Result: Sendable>(
        _ options: ServiceOptions,
        remote: (any PeopleActions) async throws -> Result,
        local: (MeridianService) async throws -> Result
    ) async throws -> Result {
        if try options.serverAddress() != nil { return try await actions(options, remote) }
        return try await runAsOperator(options.database, local)
    }
}
