import Foundation
import Logging
import PostgresNIO
import MeridianPostgres

/// Users and their tokens in PostgreSQL (`users`, `user_tokens`); every query binds its values.
///
/// These methods trust their caller (the demo, tests, other modules setting up their people):
/// they enforce the invariants (valid users, unique handles, never zero enabled admins) but not
/// who may ask. ``AuthorizedIdentityStore`` adds that for requests made on someone's behalf.
public struct IdentityStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// The tokens a server verified a moment ago (``TokenCache``); `nil` looks every token up.
    /// The changes made here that can refuse a token empty it once they have committed.
    public let tokenCache: TokenCache?

    public init(client: PostgresClient, logger: Logger, tokenCache: TokenCache? = nil) {
        self.client = client
        self.logger = logger
        self.tokenCache = tokenCache
    }

    /// Adds a user; the handle must be free (``IdentityError/Code/conflict`` otherwise).
    public func addUser(handle: String, name: String, roles: Set<Role>, country: String?) async throws -> User {
        try await client.transaction(logger: logger) { connection in
            try await Self.insertUser(handle: handle, name: name, roles: roles, country: country, on: connection, logger: logger)
        }
    }

    /// Every user, enabled or not, by handle.
    public func users() async throws -> [User] {
        let rows = try await client.query("SELECT \(unescaped: UserRow.columns) FROM users u ORDER BY u.handle", logger: logger)
        var users: [User] = []
        for try await row in rows { users.append(try UserRow.decode(row)) }
        return users
    }

    /// The user called `handle`; ``IdentityError/Code/notFound`` when there is none.
    public func user(handle: String) async throws -> User {
        try await client.withConnection { connection in try await Self.user(handle: handle, on: connection, logger: logger) }
    }

    /// Disables a user, which makes her tokens fail; disabling one already disabled changes nothing.
    /// The last enabled admin cannot be disabled (``IdentityError/Code/conflict``).
    public func disable(handle: String) async throws -> User {
        let user = try await client.transaction(logger: logger) { connection in
            try await Self.disable(handle: handle, on: connection, logger: logger)
        }
        tokenCache?.forgetAll()
        return user
    }

    /// Whether some enabled user holds `admin`; while none does, the first admin may be added without a token.
    public func hasEnabledAdmin() async throws -> Bool {
        try await client.withConnection { connection in try await Self.hasEnabledAdmin(on: connection, logger: logger) }
    }
}

// MARK: - The statements, on a caller's connection, so that checks and changes share a transaction.

extension IdentityStore {
    /// Serialises the changes that depend on who is an enabled admin (the bootstrap, disabling
    /// an admin), so two of them cannot both see the state before the other.
    static let adminLockKey: Int64 = 0x4D45_5249_4449_414E  // "MERIDIAN"

    static func lockAdmins(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(adminLockKey))", logger: logger)
    }

    static func insertUser(
        handle: String, name: String, roles: Set<Role>, country: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> User {
        try UserValidation.check(handle: handle)
        let name = try UserValidation.check(name: name)
        try UserValidation.check(roles: roles, country: country)
        let rows = try await connection.query(
            """
            INSERT INTO users AS u (id, handle, name, roles, country)
            VALUES (\(UUID()), \(handle), \(name), \(roles.ordered.map(\.rawValue)), \(country))
            ON CONFLICT (handle) DO NOTHING
            RETURNING \(unescaped: UserRow.columns)
            """,
            logger: logger
        )
        for try await row in rows { return try UserRow.decode(row) }
        throw IdentityError(.conflict, "the handle '\(handle)' is taken", hint: "choose another one; `meridian user list` shows the users")
    }

    static func user(handle: String, on connection: PostgresConnection, logger: Logger, forUpdate: Bool = false) async throws -> User {
        let rows = try await connection.query(
            "SELECT \(unescaped: UserRow.columns) FROM users u WHERE u.handle = \(handle) \(unescaped: forUpdate ? "FOR UPDATE" : "")",
            logger: logger
        )
        for try await row in rows { return try UserRow.decode(row) }
        throw IdentityError(.notFound, "no user has the handle '\(handle)'", hint: "see `meridian user list`")
    }

    static func hasEnabledAdmin(on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT EXISTS (SELECT 1 FROM users WHERE disabled_at IS NULL AND 'admin' = ANY (roles))", logger: logger
        )
        for try await exists in rows.decode(Bool.self) { return exists }
        return false
    }

    static func disable(handle: String, on connection: PostgresConnection, logger: Logger) async throws -> User {
        try await lockAdmins(on: connection, logger: logger)
        let user = try await user(handle: handle, on: connection, logger: logger, forUpdate: true)
        if user.disabled { return user }
        if user.has(.admin), try await otherEnabledAdmins(than: handle, on: connection, logger: logger) == 0 {
            throw IdentityError(.conflict, "'\(handle)' is the last enabled admin and cannot be disabled",
                                hint: "add another admin first (`meridian user add HANDLE --name NAME --role admin`)")
        }
        return try await updated(handle, on: connection, logger: logger,
                                 "UPDATE users AS u SET disabled_at = now() WHERE u.id = \(user.id) RETURNING \(unescaped: UserRow.columns)")
    }
}
