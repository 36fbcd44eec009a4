import ArgumentParser
import Foundation
import MeridianEngine

/// `meridian workflow migrate ID --from V --to W`: move running instances to another version.
struct MigrateWorkflow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move the running instances of one version to another, checked first.",
        discussion: """
            Every instance's state must exist in the target version or be mapped into it with \
            --map OLD=NEW; if one is not, nothing changes (exit 1) and the report says which. \
            Ended instances stay on their version. A migrated instance starts a new stay in its \
            state: timers set under the old version no longer fire; the new state's timers start.

            Example:
              meridian workflow migrate grant --from 1 --to 2 --map payment-sent=awaiting-bank --dry-run
            """
    )

    @Argument(help: "The workflow id.")
    var workflow: String

    @Option(help: "The version the instances are on.")
    var from: Int

    @Option(help: "The version to move them to.")
    var to: Int

    @Option(name: .customLong("map"), help: ArgumentHelp("A state of the old version and the state of the new one it becomes.", valueName: "OLD=NEW"))
    var mappings: [String] = []

    @Flag(help: "Check and report, change nothing.")
    var dryRun = false

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        for mapping in mappings where mapping.split(separator: "=", omittingEmptySubsequences: false).count != 2 || mapping.hasPrefix("=") || mapping.hasSuffix("=") {
            throw ValidationError("--map takes OLD=NEW (two state ids), not '\(mapping)'.")
        }
    }

    func run() async throws {
        var map: [String: String] = [:]
        for mapping in mappings {
            let parts = mapping.split(separator: "=").map(String.init)
            map[parts[0]] = parts[1]
        }
        let report = try await EngineSession.run(database) { engine in
            try await engine.migrate(workflow: workflow, from: from, to: to, map: map, dryRun: dryRun)
        }
        if json {
            print(try JSONOutput.string(report))
        } else {
            for entry in report.entries {
                let line = "\(EngineSession.short(entry.instanceID))  \(entry.from) → \(entry.to)  \(entry.status.rawValue)"
                print(entry.reason.map { "\(line): \($0)" } ?? line)
            }
            let moving = report.entries.filter { $0.status == .migrate }.count
            if report.applied {
                print("migrated \(moving) instance(s) of \(workflow) from v\(from) to v\(to)")
            } else if report.blocked > 0 {
                print("nothing migrated: \(report.blocked) instance(s) have no state in v\(to)")
            } else {
                print("dry run: \(moving) instance(s) would move from v\(from) to v\(to)")
            }
        }
        if report.blocked > 0 {
            throw CLIFailure("\(report.blocked) instance(s) of \(workflow) v\(from) have no state in v\(to); map them with --map OLD=NEW", status: .failure)
        }
    }
}
