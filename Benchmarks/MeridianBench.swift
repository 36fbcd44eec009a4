import ArgumentParser

/// `meridian bench …`: measurements quoted in the README. Build with `-c release` first.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure parts of Meridian (run a release build).",
        discussion: "Example:\n  swift build -c release && .build/release/meridian bench workflow",
        subcommands: [BenchWorkflow.self, BenchQueue.self, BenchQueueWorker.self, BenchEngine.self, BenchMatch.self]
    )
}
