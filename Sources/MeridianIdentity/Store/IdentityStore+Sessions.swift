import Foundation
import PostgresNIO

/// A web session opened with a token: what the officials' pages keep in a cookie.
public struct WebSession: Sendable {
    public var user: User
    /// The pages' language (`en`, `fr`, `es`, `pt`).
    public var language: String
    public var expiresAt: Date
}

/// Web sessions (`web_sessions`): a token exchanged for a cookie secret whose SHA-256 is kept.
///
/// The session lives no longer than the token it was opened with: a revoked or expired token,
/// or a disabled user, ends it at the next request, as it would end the token's API calls.
extension IdentityStore {
    /// Opens a session for the holder of `token` lasting `lifetime`; returns the new secret (to
    /// put in the cookie, never stored) and the session. Expired sessions are deleted here.
    /// - Throws: ``IdentityError/Code/unauthenticated`` as ``authenticate(token:)`` does.
    public func openSession(token: String, language: String, lifetime: Duration) async throws -> (secret: String, session: WebSession) {
        let user = try await authenticate(token: token)
        let secret = TokenSecret.generate()
        let seconds = Double(lifetime.components.seconds)
        let rows = try await client.query(
            """
            WITH gone AS (DELETE FROM web_sessions WHERE expires_at <= now())
            INSERT INTO web_sessions (secret_hash, user_id, token_id, language, expires_at)
            SELECT \(TokenSecret.hash(secret)), t.user_id, t.id, \(language), now() + make_interval(secs => \(seconds))
            FROM user_tokens t WHERE t.token_hash = \(TokenSecret.hash(token.trimmingCharacters(in: .whitespacesAndNewlines)))
            RETURNING expires_at
            """, logger: logger)
        for try await row in rows {
            return (secret, WebSession(user: user, language: language, expiresAt: try row.decode(Date.self)))
        }
        throw IdentityError(.unauthenticated, "the token was revoked while signing in", hint: "ask an admin for a new token")
    }

    /// The live session whose secret is `secret`.
    /// - Throws: ``IdentityError/Code/unauthenticated`` when it is unknown, expired, signed out,
    ///   or its token or user no longer valid.
    public func session(secret: String) async throws -> WebSession {
        guard TokenSecret.isWellFormed(secret) else { throw Self.sessionEnded }
        let rows = try await client.query(
            """
            SELECT \(unescaped: UserRow.columns), s.language, s.expires_at
            FROM web_sessions s JOIN users u ON u.id = s.user_id LEFT JOIN user_tokens t ON t.id = s.token_id
            WHERE s.secret_hash = \(TokenSecret.hash(secret)) AND s.expires_at > now() AND u.disabled_at IS NULL
              AND (s.token_id IS NULL  -- opened by a one-time link (IdentityStore+Invites)
                   OR (t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())))
            """, logger: logger)
        for try await row in rows {
            let (id, handle, name, roles, country, disabled, createdAt, language, expiresAt) =
                try row.decode((UUID, String, String, [String], String?, Bool, Date, String, Date).self)
            let user = User(id: id, handle: handle, name: name, roles: Set(roles.compactMap(Role.init(rawValue:))),
                            country: country, disabled: disabled, createdAt: createdAt)
            return WebSession(user: user, language: language, expiresAt: expiresAt)
        }
        throw Self.sessionEnded
    }

    /// Ends the session (sign-out); ending an unknown one is no error.
    public func closeSession(secret: String) async throws {
        try await client.query("DELETE FROM web_sessions WHERE secret_hash = \(TokenSecret.hash(secret))", logger: logger)
    }

    /// Changes the session's language.
    public func setSessionLanguage(secret: String, language: String) async throws {
        try await client.query(
            "UPDATE web_sessions SET language = \(language) WHERE secret_hash = \(TokenSecret.hash(secret)) AND expires_at > now()",
            logger: logger)
    }

    private static var sessionEnded: IdentityError {
        IdentityError(.unauthenticated, "the session has ended (signed out, expired, or its token revoked)", hint: "sign in again with your token")
    }
}
