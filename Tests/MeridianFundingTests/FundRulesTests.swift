import MeridianCodes
import Foundation
import MeridianDomainTestSupport
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
}
