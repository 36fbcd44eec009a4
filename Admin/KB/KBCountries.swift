import ArgumentParser
import Foundation
import MeridianExchange

/// `meridian kb countries`: the table of economies that gives a request its region and
/// income group.
struct KBCountries: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "countries",
        abstract: "List every economy with its ISO codes, World Bank region and income group (the bundled table).",
        discussion: """
            Matching and exchange requests take a country's region and income group from this table, \
            so a country needs no experience in the catalogue to ask. A dash means not classified \
            (such a country states its income group with --income-group).

            Example:
              meridian kb countries
              meridian kb countries --language fr --json
            """
    )
    @Option(help: "The language of the names shown (\(Language.codes)).") var language: String = "en"
    @Flag(help: "Print JSON (every field, with the table's source and date).") var json = false

    func validate() throws {
        guard Language(rawValue: language) != nil else { throw ValidationError("unknown language '\(language)'; one of \(Language.codes).") }
    }

    private struct Output: Encodable {
        var source: String
        var date: String
        var notes: String?
        var countries: [CountryTable.Country]
    }

    func run() async throws {
        let table = try CountryTable.shipped()
        if json {
            print(try JSONOutput.string(Output(source: table.source, date: table.date, notes: table.notes, countries: table.countries)))
            return
        }
        let language = Language(rawValue: language) ?? .english
        print(Table.render(
            ["ALPHA-3", "ALPHA-2", "NAME", "REGION", "INCOME GROUP"],
            table.countries.map { [$0.alpha3, $0.alpha2 ?? "-", $0.name(in: language), $0.region?.rawValue ?? "-", $0.incomeGroup?.rawValue ?? "-"] }
        ))
        print("\(table.countries.count) economies; source: \(table.source) (\(table.date))")
    }
}
