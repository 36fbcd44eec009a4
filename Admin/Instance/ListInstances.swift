import ArgumentParser
import Foundation
import MeridianService
import MeridianEngine

/// `meridian instance list`: instances, newest first.
struct ListInstances: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List instances, newest first, of one workflow and/or in one state.",
        discussion: """
            Example:
              meridian instance list --workflow grant --state approval --json
            """
    )

    @Option(help: "Only instances of this workflow.")
    var workflow: String?

    @Option(help: "Only instances in this state.")
    var state: String?

    @Option(help: "At most this many.")
    var limit = 100

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive.") }
    }

    func run() async throws {
        // The operator's list on the database; through a server a supervisor's or admin's.
        let instances = try await ServiceSession.remoteOrOperator(database) { actions in
            try await actions.instances(workflow: workflow, state: state, limit: limit)
        } local: { service in
            try await service.engine.instances(workflow: workflow, state: state, limit: limit)
        }
        if json {
            print(try JSONOutput.string(["instances": instances]))
            return
        }
        print(Table.render(["ID", "WORKFLOW", "STATE", "VERSION", "INCIDENTS", "UPDATED"], instances.map {
            [EngineSession.short($0.id), "\($0.workflowID) v\($0.workflowVersion)", $0.state + ($0.isFinal ? " (ended)" : ""),
             String($0.version), String($0.openIncidents), EngineSession.time($0.updatedAt)]
        }))
    }
}
