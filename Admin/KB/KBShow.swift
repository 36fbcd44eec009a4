import ArgumentParser
import MeridianExchange
import MeridianService

/// `meridian kb show ID`: one experience in full, with its sources.
struct KBShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one experience in full (exit 66 when there is none with that id).",
        discussion: "Example:\n  meridian kb show 12 --json"
    )
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The experience's id (see kb list).") var id: Int
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let experience = try await ServiceSession.runAsOperator(database) { service in try await service.experience(id) }
        if json {
            print(try JSONOutput.string(experience))
            return
        }
        print("""
            \(experience.programme) — \(experience.countryName) (\(experience.countryCode)), \(experience.years)
            region: \(experience.region.rawValue); income group: \(experience.incomeGroup.rawValue)
            sectors: \(experience.sectors.map(\.rawValue).joined(separator: ", "))
            evidence: \(experience.outcomeStrength.rawValue) — \(experience.outcomeStrength.label)

            Problem: \(experience.problem)

            Approach: \(experience.approach)

            Outcomes: \(experience.outcomes)

            Sources:
            \(experience.sources.map { "  - \($0)" }.joined(separator: "\n"))
            """)
    }
}
