import ArgumentParser
import Foundation
import MeridianIdentity

/// `meridian user roles HANDLE --role R…`: a user's roles after a change of job.
struct UserRoles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles",
        abstract: "Replace a user's roles (and country) with the ones given (admins only).",
        discussion: """
            The roles given are all she will have; they apply from her next action (histories keep \
            the roles she acted with). Officials need --country, nobody else has one. Taking the \
            admin role from the last enabled admin is refused (exit status 75); a bad role or \
            country is 65, an unknown handle 66, without the admin role 77.

            Example:
              meridian user roles lucia --role program-manager --role supervisor
            """
    )

    @Argument(help: "The user's handle.")
    var handle: String

    @OptionGroup var role: RoleOptions

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let roles = try role.parsed()
        let user = try await ServiceSession.actions(database) { actions in
            try await actions.setRoles(of: handle, roles: roles, country: role.country)
        }
        if json {
            print(try JSONOutput.string(user))
        } else {
            print("roles of \(IdentitySession.describe(user))")
        }
    }
}
