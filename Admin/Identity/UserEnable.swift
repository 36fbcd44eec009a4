import ArgumentParser
import Foundation
import MeridianIdentity

/// `meridian user enable HANDLE`: undoes `user disable`.
struct UserEnable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable",
        abstract: "Enable a disabled user again: her tokens that are not revoked or expired work again (admins only).",
        discussion: """
            Enabling a user who is enabled changes nothing. An unknown handle is exit status 66; \
            without the admin role, 77.

            Example:
              meridian user enable amani
            """
    )

    @Argument(help: "The user's handle.")
    var handle: String

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let user = try await ServiceSession.actions(database) { actions in try await actions.enableUser(handle) }
        if json {
            print(try JSONOutput.string(user))
        } else {
            print("enabled \(IdentitySession.describe(user))")
        }
    }
}
