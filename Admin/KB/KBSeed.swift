import ArgumentParser
import MeridianExchange

/// `meridian kb seed`: loads the bundled catalogue of real programmes.
struct KBSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load the bundled catalogue of real programmes, each with its sources (idempotent).",
        discussion: "Running it again updates the same entries.\nExample:\n  meridian kb seed && meridian kb list"
    )
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let experiences = try SeedCatalogue.experiences()
        let count = try await database.withClient { client, logger in
            try await ExperienceImporter.store(experiences, client: client, logger: logger)
        }
        print("seed catalogue: \(experiences.count) experiences, \(count.inserted) new, \(count.updated) updated")
    }
}
