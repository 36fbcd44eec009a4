import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `meridian bench …`: runs `meridian-bench …`, the benchmarks' own executable, from the same
/// build folder, so commands written before the benchmarks moved (the peers harness, the
/// crash tests, published figures) keep working.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure parts of Meridian: runs meridian-bench (build both with -c release).",
        discussion: "Example:\n  swift build -c release && .build/release/meridian bench workflow   # = meridian-bench workflow"
    )

    @Argument(parsing: .captureForPassthrough, help: "The meridian-bench subcommand and its arguments.")
    var arguments: [String] = []

    /// Replaces this process with `meridian-bench` (same process id, so signals and the exit
    /// status are the benchmark's own).
    func run() throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("meridian-bench").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw CLIFailure(
                "meridian-bench is not built next to meridian (\(executable)); build it with `swift build -c release --product meridian-bench`",
                status: .failure
            )
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        execv(executable, argv)
        throw CLIFailure("could not run \(executable): \(String(cString: strerror(errno)))", status: .failure)
    }
}
