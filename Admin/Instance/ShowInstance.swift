import ArgumentParser
import Foundation
import MeridianEngine
import MeridianService

/// `meridian instance show ID`: where an instance is now.
struct ShowInstance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an instance: workflow and version, state, step count, context, incidents.",
        discussion: """
            Exit status 66 when no instance has the id; 77 when the token is an official's and the instance is another country's exchange.

            Example:
              meridian instance show 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --json
            """
    )

    @Argument(help: "The instance id.")
    var id: String

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let instanceID = try EngineSession.instanceID(id)
        // With a token (always through a server), the caller's view (an exchange she may not
        // see is unknown); without one, the operator's view of the local database.
        let instance = try await ServiceSession.actionsOrOperator(database) { actions in
            try await actions.instance(instanceID)
        } asOperator: { service in
            try await service.engine.instance(instanceID)
        }
        if json {
            print(try JSONOutput.string(instance))
            return
        }
        print("""
            instance   \(EngineSession.short(instance.id))
            workflow   \(instance.workflowID) v\(instance.workflowVersion)
            state      \(instance.state)\(instance.isFinal ? " (ended)" : "")
            version    \(instance.version)
            incidents  \(instance.openIncidents)
            context    \(instance.context)
            started    \(EngineSession.time(instance.createdAt))
            updated    \(EngineSession.time(instance.updatedAt))
            """)
    }
}
