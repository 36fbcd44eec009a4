import Foundation
import MeridianDomainTestSupport
import MeridianExchange
import MeridianTestSupport
import PostgresNIO
import Testing

/// Every country can ask (issue 15, point 2).
@Suite("the country table")
struct CountryTableTests {
    @Test("the shipped table covers the World Bank's economies with codes, four names, region and income group")
    func shippedTable() throws {
        let table = try CountryTable.shipped()
        #expect(table.countries.count >= 210)
        #expect(!table.source.isEmpty && !table.date.isEmpty)
        #expect(Set(table.countries.map(\.alpha3)).count == table.countries.count)
        let laos = try #require(table.country("LAO"))
        #expect(laos.alpha2 == "LA" && laos.region == .eastAsiaPacific && laos.incomeGroup == .lowerMiddle)
        #expect(table.country("la")?.alpha3 == "LAO", "alpha-2 in any case finds it too")
        for country in table.countries {
            #expect(country.alpha3.count == 3 && (country.alpha2?.count ?? 2) == 2)
            for language in Language.allCases { #expect(country.names[language.rawValue]?.isEmpty == false, "\(country.alpha3) \(language)") }
        }
        #expect(table.countries.filter { $0.incomeGroup != nil }.count >= 200)
        for region in Region.allCases { #expect(table.countries.contains { $0.region == region }) }
    }

    @Test("an exchange request from a country without experiences takes its profile from the table")
    func exchangeRequestFromTable() async throws {
        try await ExchangeFixture.with { fixture in
            var request = Fixtures.ddrRequest
            request.country = "LAO"
            request.countryName = nil
            request.region = nil
            request.incomeGroup = nil
            let laos = ExchangeActor(id: "vilay", roles: ["official"], country: "LAO")
            let filed = try await fixture.exchanges.file(request, by: laos)
            let rows = try await fixture.client.query(
                "SELECT country_name, region, income_group FROM exchange_requests WHERE exchange_id = \(filed.exchangeID)", logger: fixture.logger
            ).collect()
            let (name, region, income) = try rows[0].decode((String, String, String).self)
            #expect(name == "Laos" && region == "east-asia-pacific" && income == "lower-middle")
        }
    }
}
