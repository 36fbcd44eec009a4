import Foundation

/// Which commands act through a server when MERIDIAN_SERVER names one, which always act on the
/// local database, and the refusal of the others: a command that cannot go through the server
/// yet says so rather than quietly using a database the person did not mean.
enum RemoteCommands {
    /// The people's commands that call the server's API (docs/cli.md lists them).
    static let remote: Set<String> = [
        "whoami", "login", "token create", "token list", "token revoke",
        "inbox", "portfolio", "approve", "reject", "request-info",
        "exchange request", "exchange list", "exchange show", "exchange status", "exchange timeline", "exchange screen",
        "exchange matches", "exchange select-partner", "exchange confirm", "exchange decline", "exchange plan import",
        "exchange plan show", "exchange plan submit", "exchange report submit", "exchange review",
        "grant list", "grant show", "grant fund", "grant approve", "grant reject", "disburse",
        "payments list", "payments mark", "payments export", "payments reconcile", "payments files", "payments file",
        "fund create", "fund list", "fund show", "fund contribute", "fund statement",
        "kb list", "kb show", "kb search", "kb import", "kb feedback", "kb match", "kb seed", "export iati", "fund verify",
        "user add", "user list", "user disable", "user enable", "user roles", "user invite",
        "instance start", "instance fire", "instance show", "instance history", "instance list", "instance incidents", "instance retry",
    ]

    /// Commands that read only what ships with meridian: the same wherever MERIDIAN_SERVER points.
    static let offline: Set<String> = ["kb countries"]

    /// Operator commands, and those that touch no database: MERIDIAN_SERVER does not concern them.
    static let local: Set<String> = ["db", "serve", "worker", "workflow", "queue", "audit", "demo", "bench", "logout"]

    /// Refuses, when MERIDIAN_SERVER is set, a command (by its path, `fund verify`) that is
    /// neither remote nor an operator's.
    static func check(commandPath path: String) throws {
        guard !path.isEmpty, !remote.contains(path), !offline.contains(path), !local.contains(String(path.split(separator: " ")[0])) else { return }
        try refuseIfServerConfigured(path)
    }

    /// Throws when MERIDIAN_SERVER is set: the caller acts on the local database only.
    static func refuseIfServerConfigured(_ path: String? = nil) throws {
        guard let text = ProcessInfo.processInfo.environment[ServerAddress.environmentName],
              !text.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        let command = path ?? ErrorLine.commandPath(Array(CommandLine.arguments.dropFirst()))
        throw CLIFailure(
            "`meridian \(command)` does not work through a server yet, and MERIDIAN_SERVER is set; unset it to run the command on the database itself (see docs/cli.md for the commands that go through a server)",
            status: .usage
        )
    }
}
