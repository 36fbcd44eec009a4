import Foundation
import Logging
import MeridianIdentity
import PostgresNIO

/// Who runs this command: the user whose token the environment or `meridian login` supplied.
enum ActingUser {
    /// Where a token came from, for messages that say which one was refused.
    enum Source: CustomStringConvertible {
        case environment, file(String)

        var description: String {
            switch self {
            case .environment: return "the token in MERIDIAN_TOKEN"
            case .file(let path): return "the token saved in \(path)"
            }
        }
    }

    /// The token to use and where it came from: `MERIDIAN_TOKEN`, else the file `meridian login` saved.
    static func configuredToken() throws -> (token: String, source: Source)? {
        if let token = ProcessInfo.processInfo.environment["MERIDIAN_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            return (token, .environment)
        }
        if let token = try TokenFile.read() { return (token, .file(TokenFile.path)) }
        return nil
    }

    /// The user whose token is in MERIDIAN_TOKEN, else in the file `meridian login` saved; throws a CLIFailure
    /// with exit status 77 (permission) and a one-line message saying what to do when there is none or it is refused.
    static func resolve(client: PostgresClient, logger: Logger) async throws -> User {
        guard let user = try await resolveIfPresent(client: client, logger: logger) else {
            throw CLIFailure(
                "no token: set MERIDIAN_TOKEN or run `meridian login` (an admin creates tokens with `meridian token create --user HANDLE`)",
                status: .permission
            )
        }
        return user
    }

    /// Like ``resolve(client:logger:)``, but `nil` when no token is configured at all (for the
    /// bootstrap of `meridian user add`); a token that is given and refused still fails.
    static func resolveIfPresent(client: PostgresClient, logger: Logger) async throws -> User? {
        guard let configured = try configuredToken() else { return nil }
        do {
            return try await IdentityStore(client: client, logger: logger).authenticate(token: configured.token)
        } catch let error as IdentityError where error.code == .unauthenticated {
            throw CLIFailure("\(configured.source) was refused: \(error.description)", status: .permission)
        }
    }
}
