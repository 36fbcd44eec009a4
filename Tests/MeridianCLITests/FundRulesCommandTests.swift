import Foundation
import MeridianDomainTestSupport
import MeridianFunding
import MeridianIdentity
import MeridianTestSupport
import Testing

/// `fund create` takes a fund's maximum grant, mandate and payment policy and `fund show`
/// prints them (the rules themselves: MeridianFundingTests' FundRulesTests).
@Suite("fund create and fund show: maximum grant, mandate, payment policy")
struct FundRulesCommandTests {
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
