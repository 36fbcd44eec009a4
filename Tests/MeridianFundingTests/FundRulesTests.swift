import MeridianCodes
import Foundation
import MeridianFunding
import MeridianIdentity
import MeridianTestSupport
import PostgresNIO
import Testing

/// A fund's maximum grant (no default outside USD), its mandate and its payment policy, as
/// `fund create` takes them and `fund show` prints them.
@Suite("Fund rules: maximum grant, mandate, payment policy")
struct FundRulesTests {
    @Test("the 150,000 default holds for USD only; a fund in another currency needs its own maximum")
    func maximumGrant() async throws {
        try await FundingFixture.with { fixture in
            let usd = try Currency.named("USD")
            let jpy = try Currency.named("JPY")
            #expect(Fund.defaultMaxGrant(usd) == Money(minorUnits: 15_000_000, currency: usd))
            #expect(Fund.defaultMaxGrant(jpy) == nil)
            do {
                try await fixture.funds.create(Fund(id: "yen", name: "Yen Fund", currency: jpy, donors: [], createdBy: "admin"))
                Issue.record("a JPY fund was created with a 150,000 JPY maximum")
            } catch let error as FundingError {
                #expect(error.code == .invalidInput)
                #expect(error.message == "a fund in JPY needs its own maximum grant: the default of 150,000 USD is not converted")
            }
            #expect(try await fixture.funds.list().isEmpty)
            try await fixture.funds.create(Fund(id: "yen", name: "Yen Fund", currency: jpy, donors: [], maxGrant: Money(minorUnits: 20_000_000, currency: jpy),
                                                createdBy: "admin"))
            #expect(try await fixture.funds.fund("yen").maxGrant == Money(minorUnits: 20_000_000, currency: jpy))
            try await fixture.funds.create(Fund(id: "dollars", name: "Dollar Fund", currency: usd, donors: [], createdBy: "admin"))
            #expect(try await fixture.funds.fund("dollars").maxGrant.description == "150,000.00 USD")
        }
    }

    @Test("a mandate excludes an exchange for every reason at once")
    func mandateRefusals() throws {
        let mandate = FundMandate(sectors: ["water", "sanitation"], countries: ["KEN", "UGA"], instruments: ["study-visit"],
                                  from: try CalendarDay("2027-01-01"), until: try CalendarDay("2027-06-30"))
        let subject = FundMandate.Subject(sectors: ["peacebuilding"], country: "COD", instruments: ["videoconference", "study-visit"],
                                          start: try CalendarDay("2026-12-15"), end: try CalendarDay("2027-07-02"))
        #expect(mandate.refusals(subject) == [
            "it pays for the sectors water, sanitation, and the exchange is in peacebuilding",
            "it pays for exchanges requested by KEN, UGA, not COD",
            "it pays for study-visit, and the plan also has videoconference",
            "it pays for activities from 2027-01-01, and the plan starts 2026-12-15",
            "it pays for activities until 2027-06-30, and the plan ends 2027-07-02",
        ])
        let fits = FundMandate.Subject(sectors: ["water", "energy"], country: "KEN", instruments: ["study-visit"],
                                       start: try CalendarDay("2027-02-01"), end: try CalendarDay("2027-02-05"))
        #expect(mandate.refusals(fits).isEmpty)
        #expect(FundMandate.open.refusals(subject).isEmpty)
        #expect(mandate.summary == "sectors water, sanitation; countries KEN, UGA; instruments study-visit; activities 2027-01-01 to 2027-06-30")
        #expect(throws: FundingError.self) { try FundMandate(countries: ["XYZ"]).validate() }
        #expect(throws: FundingError.self) { try FundMandate(from: try CalendarDay("2027-02-01"), until: try CalendarDay("2027-01-01")).validate() }
    }

    @Test("fund create takes the mandate and the policy, refuses a yen fund without a maximum (65, nothing created); fund show prints them")
    func fromTheCommandLine() async throws {
        try await FundingFixture.with { fixture in
            let store = IdentityStore(client: fixture.client, logger: fixture.logger)
            _ = try await store.addUser(handle: "ana", name: "Ana", roles: [.admin], country: nil)
            let token = try await store.createToken(for: "ana", label: nil, expiresAt: nil).secret
            func meridian(_ arguments: String...) async throws -> MeridianBinary.Output {
                try await MeridianBinary.run(arguments + ["--database-url", fixture.database.url], environment: ["MERIDIAN_TOKEN": token])
            }
            let yen = try await meridian("fund", "create", "yen", "--name", "Yen Fund", "--currency", "JPY")
            #expect(yen.status == 65)
            #expect(yen.standardError == "meridian: error: a fund in JPY needs its own maximum grant: the default of 150,000 USD is not converted; "
                    + "give --max-grant in JPY, such as --max-grant \"20,000,000 JPY\"\n", "\(yen.standardError)")
            #expect(try await fixture.funds.list().isEmpty)
            let badSector = try await meridian("fund", "create", "water", "--name", "Water", "--currency", "USD", "--mandate-sector", "plumbing")
            #expect(badSector.status == 65 && badSector.standardError.contains("--mandate-sector 'plumbing' is not a sector"), "\(badSector.standardError)")
            let created = try await meridian("fund", "create", "water", "--name", "Water Fund", "--currency", "JPY", "--max-grant", "20,000,000 JPY",
                                             "--mandate-sector", "water-sanitation", "--mandate-country", "ken", "--mandate-instrument", "study-visit",
                                             "--mandate-until", "2027-12-31", "--allow-self-confirmation")
            #expect(created.status == 0, "\(created.standardError)")
            let shown = try await meridian("fund", "show", "water")
            #expect(shown.standardOutput.contains("currency: JPY; grants up to 20,000,000 JPY"), "\(shown.standardOutput)")
            #expect(shown.standardOutput.contains("mandate: sectors water-sanitation; countries KEN; instruments study-visit; activities until 2027-12-31"))
            #expect(shown.standardOutput.contains("payments marked by hand: the disbursing finance officer may confirm them (fund policy)"))
            _ = try await meridian("fund", "create", "open", "--name", "Open Fund", "--currency", "USD")
            let open = try await meridian("fund", "show", "open")
            #expect(open.standardOutput.contains("mandate: any exchange"))
            #expect(open.standardOutput.contains("payments marked by hand: confirmed by a second finance officer, not the one who disbursed"))
            let json = try await meridian("fund", "show", "water", "--json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
            #expect(object["allows_self_confirmation"] as? Bool == true, "\(json.standardOutput)")
        }
    }
}
