import ArgumentParser
import Foundation
import MeridianService
import MeridianExchange

/// `meridian kb import FILE`: all or nothing, every problem with its line.
struct KBImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import experiences from a CSV or JSON file (all or nothing; re-importing updates).",
        discussion: """
            CSV has a header row with the columns country_code, country_name, region, income_group, \
            sectors, programme, start_year, end_year (may be empty), problem, approach, outcomes, \
            outcome_strength, sources; list columns separate items with |. JSON is an array of objects \
            with the same fields, lists as arrays. Every problem is printed as FILE:LINE: field: message \
            and nothing is written (exit 65). An experience is identified by country_code + programme: \
            importing it again updates it.

            Example:
              meridian kb import experiences.csv
              meridian kb import export.txt --format json
            """
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The file to import.") var file: String
    @Option(help: "csv or json (default: from the file's extension).") var format: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if let format, ImportFormat(rawValue: format) == nil { throw ValidationError("--format must be csv or json.") }
    }

    func run() async throws {
        guard let format = format.flatMap(ImportFormat.init(rawValue:)) ?? ImportFormat(fileExtensionOf: file) else {
            throw CLIFailure("cannot tell the format of \(file) from its extension; name it .csv or .json, or pass --format csv|json", status: .usage)
        }
        let data = try ExchangeSession.read(file)
        let count = try await ServiceSession.actions(database) { actions in
            do {
                return try await actions.importExperiences(data, fileName: file, format: format)
            } catch let error as ExchangeError where !error.diagnostics.isEmpty {
                FileHandle.standardError.write(Data(error.diagnostics.map { "\($0)\n" }.joined().utf8))
                throw error
            }
        }
        if json {
            print(try JSONOutput.string(count))
        } else {
            print("imported \(file): \(count.inserted) new, \(count.updated) updated")
        }
    }
}
