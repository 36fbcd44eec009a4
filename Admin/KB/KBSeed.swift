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
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let (experiences, count) = try await ServiceSession.run(database) { service, caller in try await service.seedKnowledgeBase(by: caller) }
        print("seed catalogue: \(experiences) experiences, \(count.inserted) new, \(count.updated) updated")
    }
}
