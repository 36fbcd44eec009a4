import ArgumentParser
import Foundation

/// The `meridian` command: the admin tool of program managers, officials, finance officers
/// and operators.
@main
struct Meridian: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meridian",
        abstract: "Knowledge exchanges between countries: requests, matching, plans, grants and results.",
        discussion: """
            With no database configured (--database-url or MERIDIAN_DATABASE_URL), meridian starts \
            or reuses a private PostgreSQL cluster of its own (see `meridian db --help`).

            Exit codes: \(ExitStatus.documentation)

            Examples:
              meridian demo
              meridian workflow validate Workflows/*.xml
              meridian db status --json
            """,
        version: "0.1.0",
        groupedSubcommands: commandGroups
    )

    /// The top-level commands in `--help`, grouped by who uses them. A new command goes into
    /// the group of the people who run it.
    static let commandGroups: [CommandGroup] = [
        CommandGroup(name: "Start here", subcommands: [DemoCommand.self]),
        CommandGroup(name: "Your account", subcommands: [LoginCommand.self, LogoutCommand.self, WhoamiCommand.self, TokenCommand.self]),
        CommandGroup(name: "Officials, program managers and approvers", subcommands: [
            ExchangeCommand.self, InboxCommand.self, ApproveCommand.self, RejectCommand.self,
            RequestInfoCommand.self, PortfolioCommand.self,
        ]),
        CommandGroup(name: "Finance", subcommands: [
            FundCommand.self, GrantCommand.self, DisburseCommand.self, PaymentsCommand.self, ExportCommand.self,
        ]),
        CommandGroup(name: "Knowledge base", subcommands: [KBCommand.self]),
        CommandGroup(name: "Administrators and auditors", subcommands: [UserCommand.self, AuditCommand.self]),
        CommandGroup(name: "Operators", subcommands: [
            DBCommand.self, ServeCommand.self, WorkflowCommand.self, InstanceCommand.self, QueueCommand.self, WorkerCommand.self,
        ]),
        CommandGroup(name: "Developers", subcommands: [BenchCommand.self]),
    ]

    /// Runs the command, printing a failure as one line on standard error with its exit code.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let problem = ErrorLine.controlCharacterProblem(arguments) {
            fail(problem, status: ExitStatus.dataError.rawValue)
        }
        do {
            var command = try parseAsRoot(arguments)
            // A leaf command that cannot go through MERIDIAN_SERVER refuses before it touches
            // anything (not its help, which parses as a command of argument-parser's own).
            let path = ErrorLine.commandPath(arguments)
            if type(of: command).configuration.subcommands.isEmpty, type(of: command)._commandName == path.split(separator: " ").last.map(String.init) {
                try RemoteCommands.check(commandPath: path)
            }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if let failure = CLIFailure(error) {
                fail(ErrorLine.oneLine(failure.message), status: failure.status.rawValue)
            }
            let code = exitCode(for: error)
            // Help and version are no failure: argument-parser prints them as it should.
            if code == .success { exit(withError: error) }
            fail(ErrorLine.usage(error, arguments: arguments), status: code.rawValue)
        }
    }

    /// Prints `line` as the command's one error line and exits with `status`.
    static func fail(_ line: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data("meridian: error: \(line)\n".utf8))
        Foundation.exit(status)
    }
}
