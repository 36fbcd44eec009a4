import ArgumentParser
import Foundation
import MeridianExchange

/// `meridian kb match`: the five best-matching experiences of other countries for a request.
struct KBMatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Propose the five best-matching countries (other than the requester) for a request.",
        discussion: """
            Score = Σ weight × component: text (ts_rank_cd r as r/(r+4)) 0.40, shared sectors 0.25, \
            region (same 1, neighbouring 0.5) 0.10, income group (1 − steps/3) 0.10, outcome strength \
            (0–3, ÷3) 0.15. At most one experience per country; matches below the minimum score 0.35 are \
            left out, and fewer than five is reported. Region and income group default to what the \
            knowledge base records for --country.

            Example:
              meridian kb match --text "reintegrate demobilised ex-combatants into communities" \\
                --sector demobilisation-reintegration --country COD --region sub-saharan-africa \\
                --income-group low --weights outcome=0.3,minimum-score=0.3 --json
            """
    )
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The development goal and problem, in words.") var text: String
    @Option(name: .customLong("sector"), help: "A sector of the request; repeat for several (\(Sector.codes)).") var sectors: [String] = []
    @Option(help: "The requesting country (ISO 3166-1 alpha-3); never proposed.") var country: String
    @Option(help: "The requester's World Bank region (\(Region.codes)).") var region: String?
    @Option(name: .customLong("income-group"), help: "The requester's income group (\(IncomeGroup.codes)).") var incomeGroup: String?
    @Option(help: "Override weights: NAME=NUMBER,… with names \(MatchingWeights.names.joined(separator: ", ")).") var weights: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        for sector in sectors where Sector(rawValue: sector) == nil {
            throw ValidationError("unknown sector '\(sector)'; one of \(Sector.codes).")
        }
        if let region, Region(rawValue: region) == nil { throw ValidationError("unknown region '\(region)'; one of \(Region.codes).") }
        if let incomeGroup, IncomeGroup(rawValue: incomeGroup) == nil {
            throw ValidationError("unknown income group '\(incomeGroup)'; one of \(IncomeGroup.codes).")
        }
        if let weights { _ = try MatchingWeights.default.overridden(by: weights) }
    }

    func run() async throws {
        let countryCode = country.uppercased()
        let weights = try weights.map { try MatchingWeights.default.overridden(by: $0) } ?? .default
        let result = try await database.withClient { client, logger in
            var region = self.region.flatMap(Region.init(rawValue:))
            var income = incomeGroup.flatMap(IncomeGroup.init(rawValue:))
            if region == nil || income == nil {
                guard let profile = try await ExperienceStore(client: client, logger: logger).countryProfile(countryCode) else {
                    throw CLIFailure(
                        "the knowledge base has no experience of \(countryCode) to take its region and income group from; pass --region and --income-group",
                        status: .usage
                    )
                }
                region = region ?? profile.region
                income = income ?? profile.incomeGroup
            }
            let request = MatchRequest(
                text: text, sectors: sectors.compactMap(Sector.init(rawValue:)), countryCode: countryCode,
                region: region!, incomeGroup: income!
            )
            return try await Matcher(client: client, logger: logger, weights: weights).match(request)
        }
        if json {
            print(try JSONOutput.string(result))
            return
        }
        print("\(result.status.rawValue): \(result.note)")
        for (index, match) in result.matches.enumerated() {
            let parts = match.parts
            print("""

                \(index + 1). \(match.countryName) (\(match.countryCode)) — score \(String(format: "%.3f", match.score)) \
                [text \(String(format: "%.3f", parts.text)), sector \(String(format: "%.3f", parts.sector)), \
                region \(String(format: "%.3f", parts.region)), income \(String(format: "%.3f", parts.income)), \
                outcome \(String(format: "%.3f", parts.outcome))]
                   \(match.summary)
                   why: terms \(match.reasons.matchedTerms.joined(separator: ", ")); \
                sectors \(match.reasons.sharedSectors.isEmpty ? "none shared" : match.reasons.sharedSectors.map(\.rawValue).joined(separator: ", ")); \
                \(match.reasons.region); \(match.reasons.income); \(match.reasons.outcome)
                   experience \(match.experienceId): meridian kb show \(match.experienceId)
                """)
        }
    }
}
