import ArgumentParser
import Foundation
import MeridianService
import MeridianExchange

/// `meridian exchange matches`: the countries the matching task proposed, and why.
struct ExchangeMatches: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matches",
        abstract: "Show an exchange's proposed partner countries with score parts, summary and reasons.",
        discussion: "Example:\n  meridian exchange matches 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --json"
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let id = try ExchangeSession.id(self.id)
        let round = try await ServiceSession.actions(database) { actions in try await actions.matches(id) }
        if json {
            print(try JSONOutput.string(round))
            return
        }
        guard let round else {
            print(ExchangeSession.line(id, "not matched yet (matching runs when a program manager accepts the request)"))
            return
        }
        print("round \(round.round), \(EngineSession.time(round.matchedAt)): \(round.status.rawValue): \(round.note)")
        print(Table.render(["#", "COUNTRY", "SCORE", "TEXT", "SECTOR", "REGION", "INCOME", "OUTCOME", "WHY"], round.matches.enumerated().map { index, match in
            let f = { (value: Double) in String(format: "%.3f", value) }
            let why = "terms " + match.reasons.matchedTerms.prefix(6).joined(separator: ", ")
                + "; sectors " + (match.reasons.sharedSectors.isEmpty ? "none shared" : match.reasons.sharedSectors.map(\.rawValue).joined(separator: ", "))
            return ["\(index + 1)", "\(match.countryCode) \(match.countryName)", f(match.score), f(match.parts.text), f(match.parts.sector),
                    f(match.parts.region), f(match.parts.income), f(match.parts.outcome), why]
        }))
        for (index, match) in round.matches.enumerated() {
            print("\n\(index + 1). \(match.summary)")
        }
    }
}
