import ArgumentParser
import MeridianIdentity

/// The roles and country of a user, as `user add` and `user roles` take them.
struct RoleOptions: ParsableArguments {
    @Option(name: .customLong("role"), help: "A role (repeat for several): \(Role.names).")
    var roles: [String] = []

    @Option(help: "The official's country, ISO 3166-1 alpha-3 (officials only).")
    var country: String?

    func validate() throws {
        guard !roles.isEmpty else { throw ValidationError("Give at least one --role (\(Role.names)): a user's roles are exactly the ones given.") }
    }

    /// The roles given; an unknown name is refused with the list of roles.
    func parsed() throws -> Set<Role> {
        Set(try roles.map(Role.init(parsing:)))
    }
}
