import ArgumentParser
import Foundation
import MeridianEngine
import MeridianWorkflow

/// `meridian workflow show ID`: one deployed version, its states, or its stored XML.
struct ShowWorkflow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a deployed definition (the latest version unless --version).",
        discussion: """
            Exit status 66 when the workflow or version is not deployed.

            Example:
              meridian workflow show grant
              meridian workflow show grant --version 1 --source > grant-v1.xml
            """
    )

    @Argument(help: "The workflow id.")
    var workflow: String

    @Option(help: "The version (default: the latest).")
    var version: Int?

    @Flag(help: "Print the XML exactly as deployed.")
    var source = false

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print JSON.")
    var json = false

    struct Shown: Encodable {
        var definition: DeployedDefinition
        var states: [String]
        var finalStates: [String]
    }

    func run() async throws {
        let (deployed, xml) = try await EngineSession.run(database) { engine in try await engine.definitionSource(workflow, version: version) }
        if source {
            print(xml, terminator: xml.hasSuffix("\n") ? "" : "\n")
            return
        }
        let definition = try WorkflowCommand.loader().load(bytes: Array(xml.utf8), file: deployed.fileName).definition
        let states = definition?.states.filter { !$0.isFinal }.map(\.id) ?? []
        let finals = definition?.states.filter(\.isFinal).map(\.id) ?? []
        if json {
            print(try JSONOutput.string(Shown(definition: deployed, states: states, finalStates: finals)))
            return
        }
        print("""
            workflow   \(deployed.workflowID) v\(deployed.version)
            sha256     \(deployed.sha256)
            file       \(deployed.fileName)
            deployed   \(EngineSession.time(deployed.deployedAt))
            instances  \(deployed.instanceCount)
            states     \(states.joined(separator: ", "))
            final      \(finals.joined(separator: ", "))
            """)
        if let description = deployed.description { print("about      \(description)") }
    }
}
