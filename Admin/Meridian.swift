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
        subcommands: [
            DemoCommand.self,
            DBCommand.self,
            WorkflowCommand.self,
            InstanceCommand.self,
            AuditCommand.self,
            QueueCommand.self,
            WorkerCommand.self,
            ServeCommand.self,
            KBCommand.self,
            FundCommand.self,
            GrantCommand.self,
            DisburseCommand.self,
            PaymentsCommand.self,
            ExportCommand.self,
            ExchangeCommand.self,
            InboxCommand.self,
            ApproveCommand.self,
            RejectCommand.self,
            RequestInfoCommand.self,
            PortfolioCommand.self,
            UserCommand.self,
            TokenCommand.self,
            LoginCommand.self,
            LogoutCommand.self,
            WhoamiCommand.self,
            BenchCommand.self,
        ]
    )

    /// Runs the command, printing a failure as one line on standard error with its exit code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if let failure = CLIFailure(error) {
                FileHandle.standardError.write(Data("meridian: error: \(failure.message)\n".utf8))
                Foundation.exit(failure.status.rawValue)
            }
            exit(withError: error)
        }
    }
}
