import ArgumentParser
import Foundation
import MeridianExchange

/// `meridian kb match`: the five best-matching experiences of other countries for a request.
struct KBMatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Propose the five best-matching countries (other than the requester) for a request.",
        discussion: """
            Score = Σ weight × component: text (r/(r+8), r the request's words' weights in the \
            experience times their rarity) 0.50, shared sectors 0.25, region (same 1, neighbouring 0.5) \
            0.05, income group (1 − steps/3) 0.05, outcome (evidence 0–3 ÷ 3, halved when self-reported, \
            ± officials' feedback, capped) 0.15. At most one experience per country; matches below the minimum score 0.35 are \
            left out, and fewer than five is reported. Region and income group default to the country \
            table's (`meridian kb countries`), else to what the knowledge base records for --country. \
            The request's language (en, fr, es, pt) is detected from its words unless --language says it; \
            summaries are shown in it where the catalogue has them, marked "(in English)" otherwise.

            Example:
              meridian kb match --text "reintegrate demobilised ex-combatants into communities" \\
                --sector demobilisation-reintegration --country COD --weights outcome=0.3,minimum-score=0.3 --json
              meridian kb match --text "Réintégrer d'anciens combattants dans la vie civile grâce à l'emploi" \\
                --sector demobilisation-reintegration --country CAF
            """
    )
    @OptionGroup var database: ServiceOptions
    @Option(help: "The development goal and problem, in words.") var text: String
    @Option(name: .customLong("sector"), help: "A sector of the request; repeat for several (\(Sector.codes)).") var sectors: [String] = []
    @Option(help: "The requesting country (ISO 3166-1 alpha-3); never proposed.") var country: String
    @Option(help: "The requester's World Bank region (\(Region.codes)).") var region: String?
    @Option(name: .customLong("income-group"), help: "The requester's income group (\(IncomeGroup.codes)).") var incomeGroup: String?
    @Option(help: "The request's language (\(Language.codes)); detected from the text when left out.") var language: String?
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
        if let language, Language(rawValue: language) == nil { throw ValidationError("unknown language '\(language)'; one of \(Language.codes).") }
    }

    func run() async throws {
        let countryCode = country.uppercased()
        let result = try await ServiceSession.knowledge(database) { reads in
            try await reads.match(text: text, sectors: sectors.compactMap(Sector.init(rawValue:)), country: countryCode,
                                  region: region.flatMap(Region.init(rawValue:)), incomeGroup: incomeGroup.flatMap(IncomeGroup.init(rawValue:)),
                                  language: language.flatMap(Language.init(rawValue:)), weights: self.weights)
        }
        if json {
            print(try JSONOutput.string(result))
            return
        }
        print("\(result.status.rawValue): \(result.note)\(result.language.map { " (request read as \($0.name))" } ?? "")")
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
                \(match.reasons.region); \(match.reasons.income); \(match.reasons.outcome)\
                \(match.reasons.feedback.map { "; \($0)" } ?? "")\(match.reasons.concepts.map { "; concepts \($0.joined(separator: ", "))" } ?? "")
                   experience \(match.experienceID): meridian kb show \(match.experienceID)
                """)
        }
    }
}
