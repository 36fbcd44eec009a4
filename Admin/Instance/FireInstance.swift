import ArgumentParser
import Foundation
import MeridianService
import MeridianEngine
import MeridianExchange
import MeridianWorkflow

/// `meridian instance fire ID EVENT`: one event by a person, one transaction.
struct FireInstance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fire",
        abstract: "Fire an event into an instance as the token's user, with her roles.",
        discussion: """
            The actor is the user whose token is in MERIDIAN_TOKEN (else the one `meridian login` \
            saved): the history records her handle, and the workflow checks her roles. With --key, \
            firing again with the same key returns the first outcome and changes nothing. Exit \
            status 1 when the workflow refuses the event (the reason is printed), 77 when the \
            user lacks the role it needs (role-missing) or has no valid token, 66 for an unknown instance, 65 for bad --data JSON.

            Example:
              MERIDIAN_TOKEN=mrd_… meridian instance fire 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 approve --key vote-ana-1
            """
    )

    @Argument(help: "The instance id.")
    var id: String

    @Argument(help: "The event.")
    var event: String

    @Option(help: "The event's data, a JSON object.")
    var data: String?

    @Option(help: "An idempotency key: firing again with it has no second effect.")
    var key: String?

    func validate() throws { try KeyCheck.validate(key) }

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let instanceID = try EngineSession.instanceID(id)
        let payload = try EngineSession.jsonObject(data, option: "--data")
        let outcome = try await ServiceSession.actions(database) { actions in
            try await actions.fire(event, instance: instanceID, data: payload, key: key)
        }
        if json { print(try JSONOutput.string(outcome)) }
        switch outcome.status {
        case .applied:
            if !json { print("\(outcome.message) (version \(outcome.version)\(outcome.replayed ? ", already applied with this key" : ""))") }
        case .rejected, .stale:
            // Lacking the role is a permission problem (77); the workflow's other refusals are 1.
            let status: ExitStatus = outcome.rejectionCode == Rejection.Code.roleMissing.rawValue ? .permission : .failure
            throw CLIFailure("'\(event)' refused: \(outcome.rejectionCode.map { "\($0): " } ?? "")\(outcome.message)", status: status)
        }
    }
}
