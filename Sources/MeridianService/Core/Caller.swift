import MeridianCodes
import MeridianExchange
import MeridianIdentity
import MeridianWorkflow

/// Who calls the service: a signed-in user, as every domain needs to see her.
public struct Caller: Sendable, Hashable {
    public let user: User

    public init(_ user: User) { self.user = user }

    /// Her handle: what the history records.
    public var handle: String { user.handle }

    /// The user as the exchange domain sees her: handle, roles' names and country; the domain
    /// decides from these which workflow roles she holds on each exchange.
    public var exchangeActor: ExchangeActor {
        ExchangeActor(id: user.handle, roles: Set(user.roles.map(\.rawValue)), country: user.country)
    }

    /// The user as the engine sees her: a person whose id is her handle and whose roles are her
    /// roles' names (what definitions' `role` attributes name).
    public var workflowActor: WorkflowActor {
        .person(user.handle, roles: Set(user.roles.map(\.rawValue)))
    }

    /// Whether she acts for every exchange (program manager, approver, finance, supervisor, admin)
    /// rather than for one country.
    public var isStaff: Bool {
        !user.roles.isDisjoint(with: [.programManager, .fundApprover, .financeOfficer, .supervisor, .admin])
    }

    /// Throws ``ServiceError`` `.forbidden` unless she holds one of `roles`.
    /// - Parameter action: what she tried, for the message ("approving a grant").
    public func require(anyOf roles: Set<Role>, to action: String) throws {
        guard user.roles.isDisjoint(with: roles) else { return }
        let needed = roles.ordered.map(\.rawValue).joined(separator: " or ")
        let held = user.roles.isEmpty ? "none" : user.roles.ordered.map(\.rawValue).joined(separator: ", ")
        throw ServiceError(.forbidden, "\(action) needs the role \(needed); \(user.handle) holds \(held)")
    }
}
