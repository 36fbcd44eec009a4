import Foundation
import PostgresNIO

/// The columns a ``User`` is read from (table alias `u`) and how to decode them.
enum UserRow {
    static let columns = "u.id, u.handle, u.name, u.roles, u.country, u.disabled_at IS NOT NULL, u.created_at"

    static func decode(_ row: PostgresRow) throws -> User {
        let (id, handle, name, roles, country, disabled, createdAt) =
            try row.decode((UUID, String, String, [String], String?, Bool, Date).self)
        // The table's CHECK admits only known roles; one that this build does not know
        // (a newer schema) is dropped rather than failing every read.
        return User(id: id, handle: handle, name: name, roles: Set(roles.compactMap(Role.init(rawValue:))),
                    country: country, disabled: disabled, createdAt: createdAt)
    }

    /// The user of ``columns`` followed by her token's id, whether its time of use is due and its expiry.
    static func decodeWithToken(_ row: PostgresRow) throws -> (User, tokenID: Int64, stale: Bool, expiresAt: Date?) {
        let (id, handle, name, roles, country, disabled, createdAt, tokenID, stale, expiresAt) =
            try row.decode((UUID, String, String, [String], String?, Bool, Date, Int64, Bool, Date?).self)
        let user = User(id: id, handle: handle, name: name, roles: Set(roles.compactMap(Role.init(rawValue:))),
                        country: country, disabled: disabled, createdAt: createdAt)
        return (user, tokenID, stale, expiresAt)
    }
}

/// The columns a ``TokenInfo`` is read from (aliases `t` for the token, `u` for its owner).
enum TokenRow {
    static let columns = "t.id, u.handle, t.prefix, t.label, t.created_at, t.expires_at, t.last_used_at, t.revoked_at"

    static func decode(_ row: PostgresRow) throws -> TokenInfo {
        let (id, handle, prefix, label, createdAt, expiresAt, lastUsedAt, revokedAt) =
            try row.decode((Int64, String, String, String?, Date, Date?, Date?, Date?).self)
        return TokenInfo(id: id, handle: handle, prefix: prefix, label: label, createdAt: createdAt,
                         expiresAt: expiresAt, lastUsedAt: lastUsedAt, revokedAt: revokedAt)
    }
}
