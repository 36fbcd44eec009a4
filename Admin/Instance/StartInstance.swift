import ArgumentParser
import Foundation
import MeridianService
import MeridianEngine
import MeridianWorkflow

/// `meridian instance start WORKFLOW`: a new instance in the initial state.
struct StartInstance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start an instance of a deployed workflow (its latest version unless --version).",
        discussion: """
            The context is a JSON object; money goes under "amounts" as integer minor units. \
            The history records the token's user (MERIDIAN_TOKEN, else `meridian login`) as who \
            started it. Prints the new instance's id. Exit status 77 without a valid token, 66 \
            when the workflow is not deployed, 65 when the context is not a valid JSON object.

            Example:
              MERIDIAN_TOKEN=mrd_… meridian instance start grant --context '{"funds-available": true, "amounts": {"grant": {"minor_units": 7500000, "currency": "USD"}}}'
            """
    )

    @Argument(help: "The workflow id.")
    var workflow: String

    @Option(help: "The version to pin the instance to (default: the latest).")
    var version: Int?

    @Option(help: "The instance's context, a JSON object.")
    var context: String?

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let values = try EngineSession.jsonObject(context, option: "--context")
        let instance = try await ServiceSession.actions(database) { actions in
            try await actions.startInstance(workflow: workflow, version: version, context: values)
        }
        if json {
            print(try JSONOutput.string(instance))
        } else {
            print("\(EngineSession.short(instance.id))  \(instance.workflowID) v\(instance.workflowVersion)  \(instance.state)")
        }
    }
}
