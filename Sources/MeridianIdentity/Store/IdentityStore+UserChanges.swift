import Foundation
import Logging
import PostgresNIO
import MeridianPostgres

/// Changes to an existing user besides disabling her: enabling her again, and her roles.
/// Like disabling, each keeps at least one enabled admin.
extension IdentityStore {
    /// Enables a disabled user: her tokens that are neither revoked nor expired work again.
    /// Enabling one already enabled changes nothing.
    public func enable(handle: String) async throws -> User {
        try await client.transaction(logger: logger) { connection in
            try await Self.enable(handle: handle, on: connection, logger: logger)
        }
    }

    /// Replaces a user's roles (and country: officials have one, nobody else does). Takes
    /// effect on her next action; histories keep the roles she acted with. Taking `admin`
    /// from the last enabled admin is refused (``IdentityError/Code/conflict``).
    public func setRoles(handle: String, roles: Set<Role>, country: String?) async throws -> User {
        let user = try await client.transaction(logger: logger) { connection in
            try await Self.setRoles(handle: handle, roles: roles, country: country, on: connection, logger: logger)
        }
        tokenCache?.forgetAll()
        return user
    }

    static func enable(handle: String, on connection: PostgresConnection, logger: Logger) async throws -> User {
        let user = try await user(handle: handle, on: connection, logger: logger, forUpdate: true)
        guard user.disabled else { return user }
        return try await updated(handle, on: connection, logger: logger,
                                 "UPDATE users AS u SET disabled_at = NULL WHERE u.id = \(user.id) RETURNING \(unescaped: UserRow.columns)")
    }

    static func setRoles(handle: String, roles: Set<Role>, country: String?, on connection: PostgresConnection, logger: Logger) async throws -> User {
        try UserValidation.check(roles: roles, country: country)
        try await lockAdmins(on: connection, logger: logger)
        let user = try await user(handle: handle, on: connection, logger: logger, forUpdate: true)
        if user.has(.admin), !roles.contains(.admin), !user.disabled,
           try await otherEnabledAdmins(than: handle, on: connection, logger: logger) == 0 {
            throw IdentityError(.conflict, "'\(handle)' is the last enabled admin and cannot lose the admin role",
                                hint: "make another user an admin first (`meridian user roles HANDLE --role admin …`)")
        }
        let names = roles.ordered.map(\.rawValue)
        return try await updated(handle, on: connection, logger: logger,
                                 "UPDATE users AS u SET roles = \(names), country = \(country) WHERE u.id = \(user.id) RETURNING \(unescaped: UserRow.columns)")
    }

    /// How many enabled admins there are besides `handle`.
    static func otherEnabledAdmins(than handle: String, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(
            "SELECT count(*)::int8 FROM users WHERE disabled_at IS NULL AND 'admin' = ANY (roles) AND handle <> \(handle)",
            logger: logger
        )
        var others = 0
        for try await count in rows.decode(Int.self) { others = count }
        return others
    }

    /// The user as `query` (an UPDATE … RETURNING her row) left her.
    static func updated(_ handle: String, on connection: PostgresConnection, logger: Logger, _ query: PostgresQuery) async throws -> User {
        for try await row in try await connection.query(query, logger: logger) { return try UserRow.decode(row) }
        throw IdentityError(.notFound, "no user has the handle '\(handle)'", hint: "see `meridian user list`")
    }
}
