/// What a user may do in the workflows (the `role` attributes of `Workflows/*.xml`) and, for
/// `admin`, in Meridian itself (users and other people's tokens).
public enum Role: String, CaseIterable, Sendable, Codable {
    case official
    case programManager = "program-manager"
    case fundApprover = "fund-approver"
    case financeOfficer = "finance-officer"
    case supervisor
    case admin

    /// Every role's name, in declaration order, for messages that list the valid ones.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The role called `name`; an unknown name is ``IdentityError/Code/invalid`` and lists the valid ones.
    public init(parsing name: String) throws {
        guard let role = Role(rawValue: name) else {
            throw IdentityError(.invalid, "'\(name)' is not a role", hint: "the roles are \(Role.names)")
        }
        self = role
    }

    /// The declaration order, so that lists of roles read the same every time.
    var order: Int { Role.allCases.firstIndex(of: self) ?? 0 }
}

extension Collection<Role> {
    /// The roles in declaration order (a `Set` has none of its own).
    public var ordered: [Role] { sorted { $0.order < $1.order } }
}
