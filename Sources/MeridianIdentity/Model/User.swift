import Foundation

/// A person who uses Meridian: her handle (what the history records), her roles, and for an
/// official the country she speaks for.
public struct User: Sendable, Codable, Hashable {
    public var id: UUID
    /// Login name: unique, lower case `[a-z0-9._-]`; the actor id in the engine's history.
    public var handle: String
    /// Full name, for people.
    public var name: String
    public var roles: Set<Role>
    /// ISO 3166-1 alpha-3, upper case; set for officials and only for them.
    public var country: String?
    /// A disabled user's tokens are refused; she stays in the history.
    public var disabled: Bool
    public var createdAt: Date

    public init(id: UUID, handle: String, name: String, roles: Set<Role>, country: String?, disabled: Bool, createdAt: Date) {
        self.id = id
        self.handle = handle
        self.name = name
        self.roles = roles
        self.country = country
        self.disabled = disabled
        self.createdAt = createdAt
    }

    /// Whether she holds `role`.
    public func has(_ role: Role) -> Bool { roles.contains(role) }

    private enum CodingKeys: String, CodingKey {
        case id, handle, name, roles, country, disabled, createdAt
    }

    /// Encodes roles in declaration order (a set has none), so `--json` output is stable.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(handle, forKey: .handle)
        try container.encode(name, forKey: .name)
        try container.encode(roles.ordered, forKey: .roles)
        try container.encode(country, forKey: .country)
        try container.encode(disabled, forKey: .disabled)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
