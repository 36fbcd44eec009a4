import Foundation
import Logging
import MeridianPostgres
import PostgresNIO

/// A one-time sign-in link just created: its secret is shown once (in the link), never stored.
public struct IssuedInvite: Sendable, Codable {
    /// The user it signs in.
    public var handle: String
    /// 52 base32 characters (32 random bytes); the link is `/sign-in/invite/SECRET`.
    public var secret: String
    public var expiresAt: Date

    /// The link's path on the pages' server.
    public var path: String { "/sign-in/invite/\(secret)" }
}

/// One-time sign-in links (`user_invites`, migration 0018): an admin creates one for a user;
/// using it opens one web session for her, once, before it expires, while she is enabled.
/// Only the SHA-256 of the secret is kept.
extension IdentityStore {
    /// The longest a link may stay usable: 30 days.
    public static let maxInviteLifetime: Duration = .seconds(30 * 86_400)

    /// Whether `secret` is a link's shape (52 base32 characters); other text is refused before any lookup.
    static func isInviteSecret(_ text: String) -> Bool {
        text.utf8.count == 52 && text.allSatisfy { ("a"..."z").contains($0) || ("2"..."7").contains($0) }
    }

    /// Whether the link can still be used (unused, unexpired, its user enabled); does not use it.
    public func inviteIsUsable(secret: String) async throws -> Bool {
        guard Self.isInviteSecret(secret) else { return false }
        let rows = try await client.query("""
            SELECT 1 FROM user_invites i JOIN users u ON u.id = i.user_id
            WHERE i.secret_hash = \(TokenSecret.hash(secret)) AND i.used_at IS NULL AND i.expires_at > now() AND u.disabled_at IS NULL
            """, logger: logger).collect()
        return !rows.isEmpty
    }

    /// Uses the link: marks it used and opens a session for its user, in one transaction, so
    /// two requests racing with the same link open one session between them.
    /// - Throws: ``IdentityError/Code/unauthenticated`` for a used, expired or unknown link or a
    ///   disabled user (the message does not say which).
    public func openSession(invite secret: String, language: String, lifetime: Duration) async throws -> (secret: String, session: WebSession) {
        guard Self.isInviteSecret(secret) else { throw Self.inviteUnusable }
        let sessionSecret = TokenSecret.generate()
        let seconds = Double(lifetime.components.seconds)
        return try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE user_invites i SET used_at = now() FROM users u
                WHERE u.id = i.user_id AND i.secret_hash = \(TokenSecret.hash(secret)) AND i.used_at IS NULL
                  AND i.expires_at > now() AND u.disabled_at IS NULL
                RETURNING i.id, \(unescaped: UserRow.columns)
                """, logger: logger).collect()
            guard let row = rows.first else { throw Self.inviteUnusable }
            let (inviteID, id, handle, name, roles, country, disabled, createdAt) =
                try row.decode((Int64, UUID, String, String, [String], String?, Bool, Date).self)
            let user = User(id: id, handle: handle, name: name, roles: Set(roles.compactMap(Role.init(rawValue:))),
                            country: country, disabled: disabled, createdAt: createdAt)
            let opened = try await connection.query("""
                INSERT INTO web_sessions (secret_hash, user_id, invite_id, language, expires_at)
                VALUES (\(TokenSecret.hash(sessionSecret)), \(user.id), \(inviteID), \(language), now() + make_interval(secs => \(seconds)))
                RETURNING expires_at
                """, logger: logger).collect()
            return (sessionSecret, WebSession(user: user, language: language, expiresAt: try opened[0].decode(Date.self)))
        }
    }

    static var inviteUnusable: IdentityError {
        IdentityError(.unauthenticated, "this sign-in link was used already, has expired, or is unknown",
                      hint: "ask an admin for a new link (`meridian user invite --user HANDLE`)")
    }

    static func insertInvite(for user: User, by admin: String, lifetime: Duration,
                             on connection: PostgresConnection, logger: Logger) async throws -> IssuedInvite {
        let secret = TokenSecret.base32((0..<32).map { _ in UInt8.random(in: .min ... .max) })
        let seconds = Double(lifetime.components.seconds)
        let rows = try await connection.query("""
            INSERT INTO user_invites (user_id, secret_hash, created_by, expires_at)
            VALUES (\(user.id), \(TokenSecret.hash(secret)), \(admin), now() + make_interval(secs => \(seconds)))
            RETURNING expires_at
            """, logger: logger).collect()
        return IssuedInvite(handle: user.handle, secret: secret, expiresAt: try rows[0].decode(Date.self))
    }
}

extension AuthorizedIdentityStore {
    /// Creates a one-time sign-in link for `handle` usable for `lifetime` (admins only).
    /// - Throws: `.invalid` for a lifetime outside 1 minute…30 days; `.notFound` for an unknown
    ///   user; `.conflict` for a disabled one (enable her first).
    public func createInvite(for handle: String, lifetime: Duration) async throws -> IssuedInvite {
        guard lifetime >= .seconds(60), lifetime <= IdentityStore.maxInviteLifetime else {
            throw IdentityError(.invalid, "a sign-in link lasts from 1 minute to 30 days", hint: "use --expires-in such as 30m, 72h or 7d")
        }
        return try await store.client.transaction(logger: store.logger) { connection in
            try await requireAdmin("create sign-in links", on: connection)
            let user = try await IdentityStore.user(handle: handle, on: connection, logger: store.logger)
            guard !user.disabled else {
                throw IdentityError(.conflict, "'\(handle)' is disabled, so a link could not sign her in",
                                    hint: "enable her first (`meridian user enable \(handle)`)")
            }
            return try await IdentityStore.insertInvite(for: user, by: actor?.handle ?? "", lifetime: lifetime,
                                                        on: connection, logger: store.logger)
        }
    }
}
