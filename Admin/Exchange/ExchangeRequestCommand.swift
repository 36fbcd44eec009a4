import ArgumentParser
import Foundation
import MeridianCodes
import MeridianService
import MeridianExchange

/// `meridian exchange request`: an official files a request, which starts an exchange.
struct ExchangeRequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "File a request for a knowledge exchange (starts an exchange in submitted).",
        discussion: """
            Give the request with flags or as a JSON file (--file) with the keys country, \
            country_name, region, income_group, development_goal, institutional_challenge, \
            change_objective, sectors, instruments and indicators ([{"name", "unit", "baseline", \
            "target"}]). country_name, region and income_group may be left out when the knowledge \
            base has an experience of the country. Every problem is reported at once (exit 65).

            Instruments: \(Instrument.codes).

            Example:
              meridian exchange request --country COD --country-name "DR Congo" --region sub-saharan-africa \\
                --income-group low --goal "Lasting peace in the eastern provinces" \\
                --challenge "The commission cannot reintegrate demobilised ex-combatants" \\
                --objective "A community-based reintegration programme" --sector demobilisation-reintegration \\
                --instrument study-visit --indicator "Former fighters with a livelihood|%|12|40" --key cod-1
              meridian exchange request --file request.json
            """
    )
    @OptionGroup var database: ServiceOptions
    @Option(help: "A JSON file with the whole request.") var file: String?
    @Option(help: "The requesting country (ISO 3166-1 alpha-3).") var country: String?
    @Option(name: .customLong("country-name")) var countryName: String?
    @Option(help: "The country's World Bank region (\(Region.codes)).") var region: String?
    @Option(name: .customLong("income-group"), help: "\(IncomeGroup.codes)") var incomeGroup: String?
    @Option(help: "The development goal.") var goal: String?
    @Option(help: "The institutional challenge.") var challenge: String?
    @Option(help: "The change objective.") var objective: String?
    @Option(name: .customLong("sector"), help: "A sector; repeat for several (\(Sector.codes)).") var sectors: [String] = []
    @Option(name: .customLong("instrument"), help: "An instrument wished for; repeat (\(Instrument.codes)).") var instruments: [String] = []
    @Option(name: .customLong("indicator"), help: "NAME|UNIT|BASELINE|TARGET; repeat for several.") var indicators: [String] = []
    @OptionGroup var key: ExchangeKeyOption
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if file != nil, country != nil || goal != nil || !sectors.isEmpty {
            throw ValidationError("give the request either with --file or with flags, not both.")
        }
        if file == nil, country == nil || goal == nil || challenge == nil || objective == nil {
            throw ValidationError("give --file FILE, or at least --country, --goal, --challenge and --objective.")
        }
        for sector in sectors where Sector(rawValue: sector) == nil { throw ValidationError("unknown sector '\(sector)'; one of \(Sector.codes).") }
        for instrument in instruments where Instrument(rawValue: instrument) == nil {
            throw ValidationError("unknown instrument '\(instrument)'; one of \(Instrument.codes).")
        }
        if let region, Region(rawValue: region) == nil { throw ValidationError("unknown region '\(region)'; one of \(Region.codes).") }
        if let incomeGroup, IncomeGroup(rawValue: incomeGroup) == nil { throw ValidationError("unknown income group '\(incomeGroup)'; one of \(IncomeGroup.codes).") }
        for indicator in indicators { _ = try Self.indicator(indicator) }
    }

    static func indicator(_ text: String) throws -> Indicator {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let posix = Locale(identifier: "en_US_POSIX")
        // Read whole or not at all: Decimal(string:) alone takes "40abc" for 40 and "12,5" for 12.
        guard parts.count == 4, StrictNumber.isDecimal(parts[2]), StrictNumber.isDecimal(parts[3]),
              let baseline = Decimal(string: parts[2], locale: posix), let target = Decimal(string: parts[3], locale: posix) else {
            throw ValidationError("--indicator '\(text)' must be NAME|UNIT|BASELINE|TARGET with numbers, such as \"Parcels registered|%|12|40\".")
        }
        return Indicator(name: parts[0], unit: parts[1], baseline: baseline, target: target)
    }

    func request() throws -> ExchangeRequest {
        if let file { return try ExchangeRequest.decode(try ExchangeSession.read(file), file: file) }
        return ExchangeRequest(
            country: country!.uppercased(), countryName: countryName, region: region.flatMap(Region.init(rawValue:)),
            incomeGroup: incomeGroup.flatMap(IncomeGroup.init(rawValue:)), developmentGoal: goal!, institutionalChallenge: challenge!,
            changeObjective: objective!, sectors: sectors.compactMap(Sector.init(rawValue:)),
            instruments: instruments.compactMap(Instrument.init(rawValue:)), indicators: try indicators.map(Self.indicator))
    }

    func run() async throws {
        let request = try request()
        let filed = try await ServiceSession.actions(database) { actions in
            try await actions.fileRequest(request, key: key.key)
        }
        if json {
            print(try JSONOutput.string(filed))
            return
        }
        print(ExchangeSession.line(filed.exchangeID, filed.replayed ? "already filed with this key; now in \(filed.state)" : "filed; now in \(filed.state)"))
    }
}
