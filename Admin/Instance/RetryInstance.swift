import ArgumentParser
import Foundation
import MeridianService
import MeridianEngine

/// `meridian instance retry ID`: run an instance's failed tasks again.
struct RetryInstance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Put the failed tasks of an instance's open incidents back on the queue and close the incidents.",
        discussion: """
            Each task gets a fresh set of attempts. Exit status 66 when the instance is unknown or \
            has no open incident.

            Example:
              meridian instance retry 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10
            """
    )

    @Argument(help: "The instance id.")
    var id: String

    @OptionGroup var database: ServiceOptions

    func run() async throws {
        let instanceID = try EngineSession.instanceID(id)
        let retried = try await ServiceSession.remoteOrOperator(database) { actions in try await actions.retryIncidents(of: instanceID) } local: { service in
            try await service.engine.retryIncidents(of: instanceID)
        }
        for incident in retried {
            print("retrying task \(incident.task) (job \(incident.jobID)) of \(EngineSession.short(incident.instanceID)) in \(incident.state)")
        }
    }
}
