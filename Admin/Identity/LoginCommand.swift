import MeridianCodes
import MeridianService
import ArgumentParser
import Foundation
import Glibc
import MeridianIdentity

/// `meridian login`: checks a token and saves it for later commands.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Check a token and save it (mode 0600) for the commands that follow.",
        discussion: """
            Reads the token from --token or from standard input, checks it against the database \
            (or the server that --server or MERIDIAN_SERVER names), \
            and saves it to $XDG_CONFIG_HOME/meridian/token (else ~/.config/meridian/token). \
            MERIDIAN_TOKEN, when set, still wins over the saved token. Exit status 77 when the \
            token is refused (nothing is saved).

            Example:
              meridian token create --user lucia | tail -n 1 | meridian login
            """
    )

    @Option(help: "The token (default: read from standard input; a command line may be visible to others).")
    var token: String?

    @OptionGroup var database: ServiceOptions

    func run() async throws {
        let secret = try token ?? readStandardInput()
        let user: User
        do {
            if let server = try database.serverAddress() {
                user = try await APIClient.with(server, token: secret.trimmingCharacters(in: .whitespacesAndNewlines)) { client in
                    try await client.get("me", as: User.self)
                }
            } else {
                user = try await ServiceSession.runAsOperator(database.database) { service in try await service.authenticate(token: secret).user }
            }
        } catch let error as ServiceError where error.kind == .unauthenticated {
            throw CLIFailure("the token was refused, so nothing was saved: \(error.message)", status: .permission)
        }
        try TokenFile.write(secret.trimmingCharacters(in: .whitespacesAndNewlines))
        print("logged in as \(IdentitySession.describe(user)); token saved to \(TokenFile.path)")
    }

    private func readStandardInput() throws -> String {
        if isatty(STDIN_FILENO) != 0 {
            FileHandle.standardError.write(Data("token: ".utf8))
        }
        guard let line = readLine(), !line.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CLIFailure("no token on standard input; pipe one in or give --token (an admin creates them with `meridian token create`)",
                             status: .usage)
        }
        return line
    }
}

/// `meridian logout`: forgets the saved token (it still works until revoked).
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Remove the token `meridian login` saved.",
        discussion: """
            The token itself keeps working until revoked: `meridian token revoke ID` ends it.

            Example:
              meridian logout
            """
    )

    func run() async throws {
        if try TokenFile.remove() {
            print("logged out: removed \(TokenFile.path)")
        } else {
            print("no saved token at \(TokenFile.path)")
        }
        if ProcessInfo.processInfo.environment["MERIDIAN_TOKEN"].map({ !$0.isEmpty }) == true {
            FileHandle.standardError.write(Data("note: MERIDIAN_TOKEN is still set, and commands use it\n".utf8))
        }
    }
}

/// `meridian whoami`: the user the current token belongs to.
struct WhoamiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show the user whose token commands use (MERIDIAN_TOKEN, else the saved one).",
        discussion: """
            Exit status 77 when there is no token or it is refused.

            Example:
              meridian whoami --json
            """
    )

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let user = try await ServiceSession.actions(database) { actions in try await actions.me() }
        if json {
            print(try JSONOutput.string(user))
        } else {
            print(IdentitySession.describe(user))
        }
    }
}
