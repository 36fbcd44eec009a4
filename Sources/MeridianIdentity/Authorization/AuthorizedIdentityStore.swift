import Foundation
import Logging
import PostgresNIO
import MeridianPostgres

/// The identity operations done on someone's behalf, each checking in its own transaction
/// that she may: admins manage users and everybody's tokens; anyone manages her own tokens;
/// without a token, only the first admin may be added (the bootstrap).
///
/// The acting user is read again inside each transaction, so one disabled or stripped of
/// `admin` since her token was checked cannot act on the old answer.
public struct AuthorizedIdentityStore: Sendable {
    public let store: IdentityStore
    /// Who asks; `nil` when no token was given (then only the bootstrap is allowed).
    public let actor: User?

    public init(store: IdentityStore, actor: User?) {
        self.store = store
        self.actor = actor
    }

    /// A user just added, and whether that was the bootstrap (no enabled admin existed and no token was given).
    public struct AddedUser: Sendable, Codable {
        public var user: User
        public var bootstrap: Bool
        /// The bootstrap admin's first token: without it she could not create one (that needs a token).
        public var token: IssuedToken?

        public init(user: User, bootstrap: Bool, token: IssuedToken?) {
            self.user = user
            self.bootstrap = bootstrap
            self.token = token
        }
    }

    /// Adds a user: an admin may; without a token, so may anyone while no enabled admin
    /// exists, provided the new user is an admin — who then gets her first token in the same
    /// transaction, since creating tokens needs one.
    public func addUser(handle: String, name: String, roles: Set<Role>, country: String?) async throws -> AddedUser {
        try await store.client.transaction(logger: store.logger) { connection in
            var bootstrap = false
            if actor == nil {
                try await IdentityStore.lockAdmins(on: connection, logger: store.logger)
                let adminExists = try await IdentityStore.hasEnabledAdmin(on: connection, logger: store.logger)
                guard !adminExists else {
                    throw Self.tokenRequired("adding a user")
                }
                guard roles.contains(.admin) else {
                    throw IdentityError(.forbidden, "no admin exists yet, so the first user added must be an admin",
                                        hint: "add yourself first with --role admin, then create a token with `meridian token create --user HANDLE`")
                }
                bootstrap = true
            } else {
                try await requireAdmin("add users", on: connection)
            }
            let user = try await IdentityStore.insertUser(handle: handle, name: name, roles: roles, country: country,
                                                          on: connection, logger: store.logger)
            let token = bootstrap
                ? try await IdentityStore.insertToken(for: handle, label: "bootstrap", expiresAt: nil, on: connection, logger: store.logger)
                : nil
            return AddedUser(user: user, bootstrap: bootstrap, token: token)
        }
    }

    /// Every user; admins only.
    public func users() async throws -> [User] {
        try await store.client.withConnection { connection in try await requireAdmin("list users", on: connection) }
        return try await store.users()
    }

    /// Disables a user; admins only (and never the last enabled admin).
    public func disable(handle: String) async throws -> User {
        try await forgettingTokens { connection in
            // The admins' lock before the actor's row, as `setRoles`: two admins changing each
            // other at once then take turns instead of deadlocking.
            try await IdentityStore.lockAdmins(on: connection, logger: store.logger)
            try await requireAdmin("disable users", on: connection)
            return try await IdentityStore.disable(handle: handle, on: connection, logger: store.logger)
        }
    }

    /// Enables a disabled user again; admins only.
    public func enable(handle: String) async throws -> User {
        try await store.client.transaction(logger: store.logger) { connection in
            try await requireAdmin("enable users", on: connection)
            return try await IdentityStore.enable(handle: handle, on: connection, logger: store.logger)
        }
    }

    /// Replaces a user's roles and country; admins only (and never the last enabled admin's `admin`).
    public func setRoles(handle: String, roles: Set<Role>, country: String?) async throws -> User {
        try await forgettingTokens { connection in
            try await IdentityStore.lockAdmins(on: connection, logger: store.logger)
            try await requireAdmin("change roles", on: connection)
            return try await IdentityStore.setRoles(handle: handle, roles: roles, country: country, on: connection, logger: store.logger)
        }
    }

    /// Creates a token for `handle` (`nil`: for the actor herself); another user's needs an admin.
    public func createToken(for handle: String?, label: String?, expiresAt: Date?) async throws -> IssuedToken {
        try await store.client.transaction(logger: store.logger) { connection in
            let me = try await current(on: connection, doing: "create tokens")
            let owner = handle ?? me.handle
            if owner != me.handle { try await requireAdmin("create tokens for other users", on: connection) }
            return try await IdentityStore.insertToken(for: owner, label: label, expiresAt: expiresAt, on: connection, logger: store.logger)
        }
    }

    /// Revokes a token: her own, or anybody's for an admin.
    @discardableResult
    public func revokeToken(_ id: Int64) async throws -> TokenInfo {
        try await forgettingTokens { connection in
            let me = try await current(on: connection, doing: "revoke tokens")
            let token = try await IdentityStore.token(id, on: connection, logger: store.logger)
            if token.handle != me.handle {
                guard me.has(.admin) else {
                    // Not "forbidden": a non-admin learns nothing about other people's token ids.
                    throw IdentityError(.notFound, "you have no token with the id \(id)", hint: "see `meridian token list`")
                }
            }
            return try await IdentityStore.revokeToken(id, on: connection, logger: store.logger)
        }
    }

    /// Tokens of `handle`; `nil` means the actor's own, or everybody's for an admin.
    public func tokens(for handle: String?) async throws -> [TokenInfo] {
        let me = try await store.client.withConnection { connection in try await current(on: connection, doing: "list tokens") }
        if let handle, handle != me.handle {
            guard me.has(.admin) else { throw Self.forbidden(me, "list other users' tokens") }
            return try await store.tokens(for: handle)
        }
        return try await store.tokens(for: handle ?? (me.has(.admin) ? nil : me.handle))
    }

    /// Runs `body` in a transaction and then empties the store's ``TokenCache``: the change
    /// may refuse a token this process verified a moment ago, so it must not wait for the
    /// notification to come back.
    private func forgettingTokens<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> Result {
        let result = try await store.client.transaction(logger: store.logger, body)
        store.tokenCache?.forgetAll()
        return result
    }

    // MARK: - Checks

    /// The actor as stored now; refused when there is none or she has been disabled.
    private func current(on connection: PostgresConnection, doing action: String) async throws -> User {
        guard let actor else { throw Self.tokenRequired(action) }
        let rows = try await connection.query(
            "SELECT \(unescaped: UserRow.columns) FROM users u WHERE u.id = \(actor.id) FOR SHARE", logger: store.logger
        )
        for try await row in rows {
            let user = try UserRow.decode(row)
            guard !user.disabled else { throw IdentityError(.unauthenticated, "the user '\(user.handle)' is disabled") }
            return user
        }
        throw IdentityError(.unauthenticated, "the user '\(actor.handle)' no longer exists")
    }

    func requireAdmin(_ action: String, on connection: PostgresConnection) async throws {
        let me = try await current(on: connection, doing: action)
        guard me.has(.admin) else { throw Self.forbidden(me, action) }
    }

    private static func forbidden(_ user: User, _ action: String) -> IdentityError {
        IdentityError(.forbidden, "'\(user.handle)' may not \(action): that needs the admin role",
                      hint: "ask an admin, or use an admin's token")
    }

    private static func tokenRequired(_ action: String) -> IdentityError {
        IdentityError(.unauthenticated, "\(action) needs a token",
                      hint: "set MERIDIAN_TOKEN or run `meridian login` (an admin's token to manage users)")
    }
}

extension IdentityStore {
    /// The same store, checking each request against what `user` may do.
    public func acting(as user: User?) -> AuthorizedIdentityStore {
        AuthorizedIdentityStore(store: self, actor: user)
    }
}
