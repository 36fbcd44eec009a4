import ArgumentParser
import Foundation
import MeridianIdentity

/// `meridian token …`: the API tokens that say who runs a command.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens (your own; an admin's token for other users').",
        discussion: """
            A token is shown once, when it is created; the database keeps only its SHA-256. \
            Commands read it from MERIDIAN_TOKEN, else from the file `meridian login` saves.

            Examples:
              meridian token create --label laptop --expires-in-days 90
              meridian token list
              meridian token revoke 3
            """,
        subcommands: [TokenCreate.self, TokenList.self, TokenRevoke.self]
    )
}

/// `meridian token create`: a new token, its secret alone on the last line.
struct TokenCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a token and print its secret, once.",
        discussion: """
            The secret is the last line of standard output, alone, so scripts can capture it: \
            TOKEN=$(meridian token create --user lucia | tail -n 1). Creating one for another \
            user needs an admin's token (exit status 77 otherwise); 66 for an unknown user.

            Example:
              meridian token create --user lucia --label "lucia's laptop" --expires-in-days 30
            """
    )

    @Option(help: "Whose token (default: yours).")
    var user: String?

    @Option(help: "What it is for, to tell tokens apart.")
    var label: String?

    @Option(help: "Days until it stops working (default: never).")
    var expiresInDays: Int?

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON (with the secret).")
    var json = false

    func validate() throws {
        if let expiresInDays, !(1...3650).contains(expiresInDays) {
            throw ValidationError("--expires-in-days must be between 1 and 3650.")
        }
    }

    func run() async throws {
        let expiresAt = expiresInDays.map { Date().addingTimeInterval(Double($0) * 86_400) }
        let issued = try await ServiceSession.actions(database) { actions in
            try await actions.createToken(for: user, label: label, expiresAt: expiresAt)
        }
        if json {
            print(try JSONOutput.string(issued))
            return
        }
        let info = issued.info
        print("token \(info.id) for \(info.handle)\(info.label.map { " (\($0))" } ?? ""), expires \(info.expiresAt.map(EngineSession.time) ?? "never").")
        print("It is shown this once; the database keeps only its hash:")
        print(issued.secret)
    }
}

/// `meridian token list`: tokens without their secrets.
struct TokenList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List tokens, newest first: yours, or everybody's for an admin.",
        discussion: """
            Example:
              meridian token list --user lucia --json
            """
    )

    @Option(help: "Only this user's tokens (another user's needs an admin's token).")
    var user: String?

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let tokens = try await ServiceSession.actions(database) { actions in try await actions.tokens(for: user) }
        if json {
            print(try JSONOutput.string(["tokens": tokens]))
        } else {
            print(IdentitySession.table(tokens))
        }
    }
}

/// `meridian token revoke ID`: the token stops working at once.
struct TokenRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a token: your own, or anybody's for an admin.",
        discussion: """
            Revoking a token already revoked changes nothing. Exit status 66 for an id that is \
            not yours (or unknown).

            Example:
              meridian token revoke 3
            """
    )

    @Argument(help: "The token's id (see `meridian token list`).")
    var id: Int64

    @OptionGroup var database: ServiceOptions

    func run() async throws {
        let token = try await ServiceSession.actions(database) { actions in try await actions.revokeToken(id) }
        print("revoked token \(token.id) of \(token.handle) (\(token.prefix)…) at \(token.revokedAt.map(EngineSession.time) ?? "-")")
    }
}
