import Foundation

/// What is known about a token without its secret: whose it is, how to tell it apart, its dates.
public struct TokenInfo: Sendable, Codable, Hashable {
    /// The id that `meridian token revoke` takes.
    public var id: Int64
    /// The owner's handle.
    public var handle: String
    /// `mrd_` and the secret's first 8 characters: enough to recognise it, not to use it.
    public var prefix: String
    public var label: String?
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(id: Int64, handle: String, prefix: String, label: String?, createdAt: Date,
                expiresAt: Date?, lastUsedAt: Date?, revokedAt: Date?) {
        self.id = id
        self.handle = handle
        self.prefix = prefix
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// Whether the token still works (its owner may be disabled, which this does not know).
    public enum Status: String, Sendable, Codable {
        case active, expired, revoked
    }

    /// The token's status at `date`.
    public func status(at date: Date = Date()) -> Status {
        if revokedAt != nil { return .revoked }
        if let expiresAt, expiresAt <= date { return .expired }
        return .active
    }
}

/// A token just created: its details and the secret, which is shown this once and never stored.
public struct IssuedToken: Sendable, Codable {
    public var info: TokenInfo
    /// `mrd_` followed by 52 base32 characters (32 random bytes).
    public var secret: String

    public init(info: TokenInfo, secret: String) {
        self.info = info
        self.secret = secret
    }
}
