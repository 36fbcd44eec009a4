/// Who acts on an exchange, as the exchange domain needs to know it: an id for the history,
/// the global roles, and the country an official serves.
///
/// The library takes this small value instead of an identity module's user, so that it does
/// not depend on how people sign in; the CLI maps its signed-in user to it.
public struct ExchangeActor: Sendable, Hashable, Codable {
    /// Stable and unique (a handle), recorded in the history and on every row the person writes.
    public var id: String
    /// Global roles: `official`, `program-manager`, `fund-approver`, `finance-officer`,
    /// `supervisor`, `admin`.
    public var roles: Set<String>
    /// ISO 3166-1 alpha-3 of the country an official serves; `nil` for staff.
    public var country: String?

    public init(id: String, roles: Set<String>, country: String? = nil) {
        self.id = id
        self.roles = roles
        self.country = country
    }

    /// The global role of a country official.
    public static let officialRole = "official"
    /// Global roles that act on every exchange with the workflow role of the same name.
    public static let staffRoles: Set<String> = ["program-manager", "fund-approver", "finance-officer", "supervisor"]

    /// Whether she may know who voted on grants: staff and admins; officials see that a grant
    /// was approved, never by whom (docs/security.md).
    public var seesApprovers: Bool { !roles.isDisjoint(with: Self.staffRoles.union(["admin"])) }
}
