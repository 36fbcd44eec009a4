import ArgumentParser
import Foundation
import MeridianService
import MeridianEngine

/// `meridian instance incidents`: tasks whose attempts ran out.
struct InstanceIncidents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract: "List open incidents: tasks whose attempts ran out, with their last error.",
        discussion: """
            Retry one instance's failed tasks with `meridian instance retry ID`.

            Example:
              meridian instance incidents --json
            """
    )

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let incidents = try await ServiceSession.remoteOrOperator(database) { actions in try await actions.incidents() } local: { service in
            try await service.engine.incidents()
        }
        if json {
            print(try JSONOutput.string(["incidents": incidents]))
            return
        }
        guard !incidents.isEmpty else {
            print("no open incidents")
            return
        }
        print(Table.render(["INSTANCE", "WORKFLOW", "STATE", "TASK", "JOB", "ATTEMPTS", "OPENED", "LAST ERROR"], incidents.map {
            [EngineSession.short($0.instanceID), $0.workflowID, $0.state, $0.task, String($0.jobID), String($0.attempts),
             EngineSession.time($0.openedAt), $0.lastError]
        }))
    }
}
