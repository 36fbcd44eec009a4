import ArgumentParser
import Foundation
import MeridianEngine

/// `meridian workflow list`: the deployed versions.
struct ListWorkflows: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List deployed definition versions with their instance counts.",
        discussion: """
            Example:
              meridian workflow list
              meridian workflow list --json
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let definitions = try await EngineSession.run(database) { engine in try await engine.definitions() }
        if json {
            print(try JSONOutput.string(["definitions": definitions]))
            return
        }
        guard !definitions.isEmpty else {
            print("no workflow is deployed; deploy one with `meridian workflow deploy FILE.xml`")
            return
        }
        print(Table.render(["WORKFLOW", "VERSION", "SHA256", "INSTANCES", "DEPLOYED", "FILE"], definitions.map {
            [$0.workflowID, String($0.version), String($0.sha256.prefix(12)), String($0.instanceCount), EngineSession.time($0.deployedAt), $0.fileName]
        }))
    }
}
