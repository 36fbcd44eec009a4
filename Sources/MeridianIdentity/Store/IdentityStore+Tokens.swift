import Foundation
import Logging
import PostgresNIO
import MeridianPostgres

extension IdentityStore {
    /// Creates a token for `handle` and returns it with its secret, which is shown this once:
    /// the database keeps only its SHA-256.
    /// - Parameters:
    ///   - label: what the token is for ("laptop", "CI"), to tell tokens apart.
    ///   - expiresAt: when it stops working; `nil` for never. Must be in the future.
    public func createToken(for handle: String, label: String?, expiresAt: Date?) async throws -> IssuedToken {
        try await client.transaction(logger: logger) { connection in
            try await Self.insertToken(for: handle, label: label, expiresAt: expiresAt, on: connection, logger: logger)
        }
    }

    /// Revokes a token; revoking one already revoked changes nothing.
    @discardableResult
    public func revokeToken(_ id: Int64) async throws -> TokenInfo {
        let token = try await client.transaction(logger: logger) { connection in
            try await Self.revokeToken(id, on: connection, logger: logger)
        }
        tokenCache?.forgetAll()
        return token
    }

    /// The tokens of `handle`, or of everyone when `nil`, newest first (revoked and expired ones too).
    public func tokens(for handle: String?) async throws -> [TokenInfo] {
        try await client.withConnection { connection in
            if let handle { _ = try await Self.user(handle: handle, on: connection, logger: logger) }
            let rows = try await connection.query(
                """
                SELECT \(unescaped: TokenRow.columns) FROM user_tokens t JOIN users u ON u.id = t.user_id
                WHERE (\(handle)::text IS NULL OR u.handle = \(handle))
                ORDER BY t.id DESC
                """,
                logger: logger
            )
            var tokens: [TokenInfo] = []
            for try await row in rows { tokens.append(try TokenRow.decode(row)) }
            return tokens
        }
    }

    /// The user a token belongs to, when the token is known, not revoked, not expired and its
    /// user is enabled; otherwise ``IdentityError/Code/unauthenticated`` saying which. Records
    /// the time of use, to the minute (with a ``tokenCache``, to the minute plus its maximum age).
    ///
    /// The token is found by its SHA-256, through the unique index: comparing secrets in
    /// constant time is moot after a hash lookup, since what the database compares is the
    /// hash, and learning a hash's prefix by timing does not help to forge a secret.
    public func authenticate(token: String) async throws -> User {
        // Most tokens come without surrounding white space; trimming costs a request more than
        // the check that there is none to trim.
        let bare = token.utf8.first.map(Self.isASCIILetterOrDigit) == true && token.utf8.last.map(Self.isASCIILetterOrDigit) == true
        let secret = bare ? token : token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard TokenSecret.isWellFormed(secret) else {
            throw IdentityError(.unauthenticated, "that is not a Meridian token (they look like mrd_ followed by 52 letters and digits)",
                                hint: "copy the whole token that `meridian token create` printed")
        }
        let hash = TokenSecret.hash(secret)
        // A server keeps what it verified a few seconds (`TokenCache`, which says why that
        // does not weaken revocation); without a cache every request reads.
        if let user = tokenCache?.user(forHash: hash) { return user }
        let ticket = tokenCache?.ticket()
        // A read, and a write only when the time of use is a minute old: every request of one
        // client authenticates with the same token, and writing its row each time made them
        // queue on that row's lock (a server answered ~300 requests/s, whatever the route).
        // The read is a prepared statement (`PreparedReads`): every request makes it, and parsing and planning it
        // afresh each time cost PostgreSQL more than running it.
        if let (user, tokenID, stale, expiresAt) = try await PreparedReads.rows(of: TokenLookup(hash: hash), on: client, logger: logger).first {
            if stale {
                _ = try await client.query(
                    """
                    UPDATE user_tokens SET last_used_at = now()
                    WHERE id = \(tokenID) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
                    """,
                    logger: logger
                ).collect()
            }
            if let ticket { tokenCache?.keep(user, forHash: hash, tokenExpiresAt: expiresAt, ticket: ticket) }
            return user
        }
        throw try await whyRefused(hash: hash)
    }

    private static func isASCIILetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Why the token with `hash` does not authenticate, for the one-line message.
    private func whyRefused(hash: String) async throws -> IdentityError {
        let rows = try await client.query(
            """
            SELECT u.handle, u.disabled_at IS NOT NULL, t.revoked_at, t.expires_at
            FROM user_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = \(hash)
            """,
            logger: logger
        )
        let renew = "ask an admin for a new one (`meridian token create --user HANDLE`)"
        for try await (handle, disabled, revokedAt, expiresAt) in rows.decode((String, Bool, Date?, Date?).self) {
            if disabled { return IdentityError(.unauthenticated, "the token's user '\(handle)' is disabled") }
            if let revokedAt { return IdentityError(.unauthenticated, "the token was revoked at \(revokedAt.ISO8601Format())", hint: renew) }
            if let expiresAt { return IdentityError(.unauthenticated, "the token expired at \(expiresAt.ISO8601Format())", hint: renew) }
        }
        return IdentityError(.unauthenticated, "the token is unknown (revoked tokens stay known; this one never existed here)",
                             hint: "check that it was made for this database, or \(renew)")
    }
}

/// The user of a live token (known, not revoked, not expired, of an enabled user), with the
/// token's id, whether its time of use is a minute old and when it expires.
struct TokenLookup: PostgresPreparedStatement {
    static let sql = """
        SELECT \(UserRow.columns), t.id, (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute'), t.expires_at
        FROM user_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND u.disabled_at IS NULL
          AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
        """
    typealias Row = (User, tokenID: Int64, stale: Bool, expiresAt: Date?)
    var hash: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(hash)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try UserRow.decodeWithToken(row) }
}

// MARK: - The statements, on a caller's connection.

extension IdentityStore {
    static let maximumLabelLength = 200

    static func insertToken(
        for handle: String, label: String?, expiresAt: Date?, on connection: PostgresConnection, logger: Logger
    ) async throws -> IssuedToken {
        let label = label?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let label, label.isEmpty || label.count > maximumLabelLength {
            throw IdentityError(.invalid, "a token's label must be 1 to \(maximumLabelLength) characters", hint: "leave --label out or give a short one")
        }
        if let expiresAt, expiresAt <= Date() {
            throw IdentityError(.invalid, "a token cannot expire in the past (\(expiresAt.ISO8601Format()))", hint: "give a positive --expires-in-days")
        }
        let user = try await user(handle: handle, on: connection, logger: logger, forUpdate: true)
        guard !user.disabled else {
            throw IdentityError(.conflict, "'\(handle)' is disabled, so a token of hers would never work", hint: "tokens are for enabled users only")
        }
        let secret = TokenSecret.generate()
        let rows = try await connection.query(
            """
            WITH t AS (
                INSERT INTO user_tokens (user_id, token_hash, prefix, label, expires_at)
                VALUES (\(user.id), \(TokenSecret.hash(secret)), \(TokenSecret.prefix(of: secret)), \(label), \(expiresAt))
                RETURNING *
            )
            SELECT \(unescaped: TokenRow.columns) FROM t JOIN users u ON u.id = t.user_id
            """,
            logger: logger
        )
        for try await row in rows { return IssuedToken(info: try TokenRow.decode(row), secret: secret) }
        throw IdentityError(.conflict, "the token was not stored")
    }

    static func token(_ id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> TokenInfo {
        let rows = try await connection.query(
            "SELECT \(unescaped: TokenRow.columns) FROM user_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = \(id) FOR UPDATE OF t",
            logger: logger
        )
        for try await row in rows { return try TokenRow.decode(row) }
        throw IdentityError(.notFound, "no token has the id \(id)", hint: "see `meridian token list`")
    }

    static func revokeToken(_ id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> TokenInfo {
        let existing = try await token(id, on: connection, logger: logger)
        if existing.revokedAt != nil { return existing }
        let rows = try await connection.query(
            """
            UPDATE user_tokens t SET revoked_at = now() FROM users u
            WHERE t.id = \(id) AND u.id = t.user_id
            RETURNING \(unescaped: TokenRow.columns)
            """,
            logger: logger
        )
        for try await row in rows { return try TokenRow.decode(row) }
        throw IdentityError(.notFound, "no token has the id \(id)", hint: "see `meridian token list`")
    }
}
