import ArgumentParser
import Foundation
import MeridianIdentity

/// `meridian user disable HANDLE`: she can no longer act; her history stays.
struct UserDisable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Disable a user: her tokens stop working at once (admins only).",
        discussion: """
            Users are never deleted, since histories name them. The last enabled admin cannot be \
            disabled (exit status 75); an unknown handle is 66.

            Example:
              meridian user disable amani
            """
    )

    @Argument(help: "The user's handle.")
    var handle: String

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let user = try await ServiceSession.actions(database) { actions in try await actions.disableUser(handle) }
        if json {
            print(try JSONOutput.string(user))
        } else {
            print("disabled \(user.handle): \(user.handle)'s tokens no longer work")
        }
    }
}
