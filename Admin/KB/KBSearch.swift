import Foundation
import ArgumentParser
import MeridianExchange
import MeridianService

/// `meridian kb search TEXT`: full-text search, best first.
struct KBSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search of programmes, problems, approaches and outcomes, ranked.",
        discussion: """
            Words are stemmed (English); web-search syntax works ("a phrase", or, -word). When no \
            experience holds every word, those holding any of them are listed.
            Example:
              meridian kb search "demobilised combatants reintegration" --json
            """
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "What to look for.") var text: String
    @Option(help: "At most this many results.") var limit = 20
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000.") }
    }

    func run() async throws {
        let hits = try await ServiceSession.knowledge(database) { reads in try await reads.search(text, limit: limit) }
        if json {
            print(try JSONOutput.string(hits))
            return
        }
        print(Table.render(
            ["ID", "RANK", "COUNTRY", "YEARS", "PROGRAMME"],
            hits.map { ["\($0.experience.id ?? 0)", String(format: "%.3f", $0.rank), $0.experience.countryCode, $0.experience.years, $0.experience.programme] }
        ))
    }
}
