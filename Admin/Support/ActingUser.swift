import MeridianCodes
import Foundation
import MeridianService

/// Who runs this command: the user whose token the environment or `meridian login` supplied.
enum ActingUser {
    /// Where a token came from, for messages that say which one was refused.
    enum Source: CustomStringConvertible, Sendable {
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

    /// The caller whose token is in MERIDIAN_TOKEN, else in the file `meridian login` saved; a
    /// CLIFailure with exit status 77 and a line saying what to do when there is none or it is refused.
    static func resolve(_ service: MeridianService) async throws -> Caller {
        guard let caller = try await resolveIfPresent(service) else { throw noToken }
        return caller
    }

    /// The failure when no token is configured at all.
    static let noToken = CLIFailure(
        "no token: set MERIDIAN_TOKEN or run `meridian login` (an admin creates tokens with `meridian token create --user HANDLE`)",
        status: .permission
    )

    /// Like ``resolve(_:)``, but `nil` when no token is configured at all (for the bootstrap of
    /// `meridian user add` and the operator's views); a token that is given and refused still fails.
    static func resolveIfPresent(_ service: MeridianService) async throws -> Caller? {
        guard let configured = try configuredToken() else { return nil }
        do {
            return try await service.authenticate(token: configured.token)
        } catch let error as ServiceError where error.kind == .unauthenticated {
            throw refused(configured.source, error)
        }
    }

    /// The failure for a token the database or the server refused (77).
    static func refused(_ source: Source, _ error: ServiceError) -> CLIFailure {
        CLIFailure("\(source) was refused: \(error.message)", status: .permission)
    }
}
