import MeridianService
import ArgumentParser
import Foundation
import MeridianIdentity

/// `meridian user add HANDLE`: a new user, or the first admin when there is none.
struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user with her roles.",
        discussion: """
            Needs an admin's token (MERIDIAN_TOKEN or `meridian login`) — except while no enabled \
            admin exists: then, without a token, the user added must be an admin, and her first \
            token is printed (alone on the last line) so she can log in. Exit status 65 for a bad \
            handle, role or country, 75 when the handle is taken, 77 without the admin role.

            Example:
              meridian user add lucia --name "Lucía Pérez" --role program-manager --role fund-approver
            """
    )

    @Argument(help: "The login name: lower-case letters, digits, '.', '_' or '-'.")
    var handle: String

    @Option(help: "The full name.")
    var name: String

    @OptionGroup var role: RoleOptions

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let roles = try role.parsed()
        // Without a token (on the database only) while no admin exists: the bootstrap of the first admin.
        let added = try await ServiceSession.actionsOrOperator(database) { actions in
            try await actions.addUser(handle: handle, name: name, roles: roles, country: role.country)
        } asOperator: { service in
            try await service.identity(for: nil).addUser(handle: handle, name: name, roles: roles, country: role.country)
        }
        if json {
            print(try JSONOutput.string(added))
            return
        }
        print("added \(IdentitySession.describe(added.user))")
        if added.bootstrap, let token = added.token {
            FileHandle.standardError.write(Data("""
                note: no enabled admin existed, so '\(added.user.handle)' was added without a token as the first admin; \
                from now on managing users needs an admin's token. Her token (id \(token.info.id)) follows, shown this once: \
                save it with `meridian login`.\n
                """.utf8))
            print(token.secret)
        }
    }
}
