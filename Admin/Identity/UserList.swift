import ArgumentParser
import Foundation
import MeridianIdentity

/// `meridian user list`: every user, enabled or not.
struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List users by handle (admins only).",
        discussion: """
            Example:
              meridian user list --json
            """
    )

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let users = try await ServiceSession.actions(database) { actions in try await actions.users() }
        if json {
            print(try JSONOutput.string(["users": users]))
        } else {
            print(IdentitySession.table(users))
        }
    }
}
