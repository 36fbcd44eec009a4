import ArgumentParser
import Foundation
import MeridianService
import MeridianExchange
import MeridianFunding
import MeridianXML

/// `meridian export …`: files for public standards.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export data in public standards' formats (IATI).",
        discussion: "Example:\n  meridian export iati --fund rapid --output rapid-iati.xml",
        subcommands: [ExportIATI.self]
    )
}

struct ExportIATI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iati",
        abstract: "Write IATI activity XML (2.03) for a trust fund or an exchange, validated against the published schema.",
        discussion: """
            A fund's file holds the fund's activity (donors' contributions as incoming funds) and \
            one activity per grant: commitment (code 2), disbursements paid (code 3), the \
            country's co-financing (code 11, not paid through Meridian), budget, recipient country. \
            An exchange's file holds its activity: request, status, sectors, participants, budget, \
            money, and results with one indicator per requested indicator (baseline, target, actual).

            Example:
              meridian export iati --fund rapid --reporting-org XM-DAC-41114 --reporting-org-name "Knowledge Exchange Facility" --output rapid-iati.xml
              meridian export iati --exchange 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10
            """
    )
    @Option(help: "The fund to export.") var fund: String?
    @Option(help: "The exchange to export (its id).") var exchange: String?
    @Option(help: "The publisher's IATI organisation identifier.") var reportingOrg = "XM-MERIDIAN"
    @Option(help: "The publisher's name.") var reportingOrgName = "Meridian Knowledge Exchange Facility"
    @Option(help: "The publisher's IATI organisation type code (40: multilateral).") var reportingOrgType = "40"
    @Option(help: "Where to write the file (default: standard output).") var output: String?
    @OptionGroup var database: ServiceOptions

    func validate() throws {
        guard (fund == nil) != (exchange == nil) else { throw ValidationError("give either --fund or --exchange") }
    }

    func run() async throws {
        let exchangeID = try exchange.map { try EngineSession.instanceID($0) }
        let publisher = IATIActivity.Organisation(ref: reportingOrg, type: reportingOrgType, name: reportingOrgName)
        let file = try await ServiceSession.actions(database) { actions in
            if let exchangeID { return try await actions.iati(exchange: exchangeID, publisher: publisher) }
            return try await actions.iati(fund: fund ?? "", publisher: publisher)
        }
        let xml = file.xml
        do {
            try StandardSchemas.iatiActivities().validate(xml, what: "the IATI file")
        } catch {
            throw CLIFailure("the IATI file did not validate, nothing written: \(error)", status: .failure)
        }
        if let output {
            do { try Data(xml.utf8).write(to: URL(fileURLWithPath: output)) } catch {
                throw CLIFailure("cannot write \(output): \(error.localizedDescription)", status: .failure)
            }
            print("wrote \(output): \(file.activities) activities")
        } else {
            print(xml, terminator: "")
        }
    }
}
