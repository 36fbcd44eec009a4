import ArgumentParser
import Foundation
import MeridianEngine
import MeridianService

/// `meridian instance history ID`: every step, oldest first.
struct InstanceHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show an instance's history: every step, who fired it, every vote.",
        discussion: """
            Each entry carries the hash of the one before it; `meridian audit verify` checks the chain.

            Example:
              meridian instance history 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10
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
        let history = try await ServiceSession.actionsOrOperator(database) { actions in
            try await actions.history(of: instanceID)
        } asOperator: { service in
            try await service.engine.history(of: instanceID)
        }
        if json {
            print(try JSONOutput.string(["history": history]))
            return
        }
        print(Table.render(["SEQ", "AT", "ACTOR", "EVENT", "FROM", "TO", "DETAIL"], history.map { entry in
            [String(entry.seq), EngineSession.time(entry.occurredAt), entry.actorID, entry.vote.isEmpty ? entry.event : "\(entry.event) (\(entry.vote))",
             entry.from.isEmpty ? "-" : entry.from, entry.to, entry.detail]
        }))
    }
}
