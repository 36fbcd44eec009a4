import ArgumentParser
import Foundation
import MeridianEngine

/// `meridian workflow deploy FILE…`: store validated definitions as immutable versions.
struct DeployWorkflows: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Store validated definitions as immutable versions (all of them or none).",
        discussion: """
            Every file is validated first; if any is invalid, or any id and version is already \
            deployed with other content, nothing is deployed (exit 1, or 75 for a conflict). \
            Deploying the same content again changes nothing.

            Example:
              meridian workflow deploy Workflows/knowledge-exchange.xml Workflows/grant.xml
            """
    )

    @Argument(help: "The definition files to deploy.")
    var files: [String]

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one definition file.") }
    }

    func run() async throws {
        try WorkflowCommand.requireFiles(files)
        let definitionFiles = try files.map { path in
            WorkflowEngine.DefinitionFile(name: path, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        let results = try await EngineSession.run(database) { engine in try await engine.deploy(definitionFiles) }
        if json {
            print(try JSONOutput.string(["definitions": results]))
            return
        }
        for result in results {
            print("\(result.status.rawValue): \(result.workflowID)@\(result.version) sha256:\(result.sha256)")
        }
    }
}
