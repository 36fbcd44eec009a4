import ArgumentParser
import Foundation
import MeridianService
import MeridianExchange

/// `meridian exchange list`: the exchanges the user may see, newest first.
struct ExchangeList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the exchanges you may see, newest first.",
        discussion: "Officials see their own country's exchanges and those their country is the partner of; staff see all.\n\nExample:\n  meridian exchange list --state partner-selection\n  meridian exchange list --country RWA --json"
    )
    @OptionGroup var database: ServiceOptions
    @Option(help: "Only exchanges in this state (draft, submitted, …, closed).") var state: String?
    @Option(help: "Only exchanges this country requested or is the partner of.") var country: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let list = try await ServiceSession.actions(database) { actions in
            try await actions.listExchanges(state: state, country: country?.uppercased())
        }
        if json {
            print(try JSONOutput.string(list))
            return
        }
        print(Table.render(["ID", "COUNTRY", "PARTNER", "STATE", "FILED", "GOAL"], list.map {
            [$0.id.uuidString.lowercased(), $0.country, $0.partner ?? "-", $0.state, EngineSession.time($0.filedAt), String($0.goal.prefix(60))]
        }))
        print("\(list.count) exchange(s)")
    }
}
