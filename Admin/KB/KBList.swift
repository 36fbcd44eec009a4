import ArgumentParser
import MeridianExchange
import MeridianService

/// `meridian kb list`: the catalogue at a glance.
struct KBList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List experiences, by country and programme.",
        discussion: "Example:\n  meridian kb list --country RWA\n  meridian kb list --sector demobilisation-reintegration --json"
    )
    @OptionGroup var database: ServiceOptions
    @Option(help: "Only this country (ISO 3166-1 alpha-3).") var country: String?
    @Option(help: "Only this sector (\(Sector.codes)).") var sector: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if let sector, Sector(rawValue: sector) == nil { throw ValidationError("unknown sector '\(sector)'; one of \(Sector.codes).") }
    }

    func run() async throws {
        let experiences = try await ServiceSession.knowledge(database) { reads in
            try await reads.experiences(country: country?.uppercased(), sector: sector.flatMap(Sector.init(rawValue:)))
        }
        if json {
            print(try JSONOutput.string(experiences))
            return
        }
        print(Table.render(
            ["ID", "COUNTRY", "YEARS", "EVIDENCE", "PROGRAMME"],
            experiences.map { ["\($0.id ?? 0)", $0.countryCode, $0.years, "\($0.outcomeStrength.rawValue)", $0.programme] }
        ))
        print("\(experiences.count) experience(s)")
    }
}
