import ArgumentParser
import MeridianExchange
import MeridianService

/// `meridian kb seed`: loads the bundled catalogue of real programmes.
struct KBSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load the bundled catalogue of real programmes, each with its sources (idempotent).",
        discussion: "Running it again updates the same entries.\nExample:\n  meridian kb seed && meridian kb list"
    )
    @OptionGroup var database: ServiceOptions

    func run() async throws {
        let load = try await ServiceSession.actions(database) { actions in try await actions.seedKnowledgeBase() }
        print("seed catalogue: \(load.experiences) experiences, \(load.inserted) new, \(load.updated) updated")
    }
}
