import ArgumentParser
import Foundation

/// `meridian-bench …`: the measurements quoted in docs/benchmarks.md, an executable of its
/// own so the admin tool stays the people's. Build with `-c release` first.
@main
struct MeridianBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meridian-bench",
        abstract: "Measure parts of Meridian (run a release build).",
        discussion: """
            With no database configured (--database-url or MERIDIAN_DATABASE_URL), a benchmark \
            uses meridian's private PostgreSQL cluster. `meridian bench …` runs this program too.

            Example:
              swift build -c release && .build/release/meridian-bench workflow
            """,
        subcommands: [BenchWorkflow.self, BenchQueue.self, BenchQueueWorker.self, BenchEngine.self, BenchMatch.self]
    )

    /// Runs the benchmark, printing a failure as one line on standard error (exit status 1).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as BenchFailure {
            FileHandle.standardError.write(Data("meridian-bench: error: \(failure.message)\n".utf8))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}
