import ArgumentParser
import Foundation
import MeridianEngine
import MeridianWorkflow

/// `meridian instance fire ID EVENT`: one event by a person, one transaction.
struct FireInstance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fire",
        abstract: "Fire an event into an instance as a person holding roles.",
        discussion: """
            --actor and --role name the person until identities arrive (issue 8 replaces them \
            with the token's user). With --key, firing again with the same key returns the first \
            outcome and changes nothing. Exit status 1 when the workflow refuses the event (the \
            reason is printed), 66 for an unknown instance, 65 for bad --data JSON.

            Example:
              meridian instance fire 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 approve --actor ana --role fund-approver --key vote-ana-1
            """
    )

    @Argument(help: "The instance id.")
    var id: String

    @Argument(help: "The event.")
    var event: String

    @Option(help: "The event's data, a JSON object.")
    var data: String?

    @Option(help: "Who fires it (until issue 8: the token's user).")
    var actor: String

    @Option(name: .customLong("role"), help: "A role the actor holds (repeat for several).")
    var roles: [String] = []

    @Option(help: "An idempotency key: firing again with it has no second effect.")
    var key: String?

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let instanceID = try EngineSession.instanceID(id)
        let payload = try EngineSession.jsonObject(data, option: "--data")
        let request = FireRequest(instanceID: instanceID, event: event, data: payload,
                                  actor: .person(actor, roles: Set(roles)), idempotencyKey: key)
        let outcome = try await EngineSession.run(database) { engine in try await engine.fire(request) }
        if json { print(try JSONOutput.string(outcome)) }
        switch outcome.status {
        case .applied:
            if !json { print("\(outcome.message) (version \(outcome.version)\(outcome.replayed ? ", already applied with this key" : ""))") }
        case .rejected, .stale:
            throw CLIFailure("'\(event)' refused: \(outcome.rejectionCode.map { "\($0): " } ?? "")\(outcome.message)", status: .failure)
        }
    }
}
