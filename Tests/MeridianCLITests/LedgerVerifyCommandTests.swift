import MeridianDomainTestSupport
import MeridianTestSupport
import Testing

/// `meridian fund verify` and `audit verify` print the ledger replay's verdict (the replay
/// itself: MeridianFundingTests' LedgerGuardTests).
@Suite("fund verify and audit verify")
struct LedgerVerifyCommandTests {
    @Test("fund verify and audit verify say OK after a grant's whole life, and BROKEN for a balance a superuser changed")
    func replayFindsCorruption() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.firstInstalmentPaid()
            let verified = try await MeridianBinary.run(["fund", "verify", "--database-url", fixture.database.url])
            #expect(verified.status == 0 && verified.standardOutput == "OK: ledger of 1 fund(s), 4 transactions, 8 entries; every balance equals its entries\n",
                    "\(verified.standardOutput)\(verified.standardError)")

            try await fixture.tamperAvailableBalance()
            let fund = try await MeridianBinary.run(["fund", "verify", "--database-url", fixture.database.url])
            #expect(fund.status == 65)
            #expect(fund.standardOutput == "BROKEN: ledger: fund rapid: stored available balance is 6,001.00 USD; the entries sum to 6,000.00 USD\n")
            #expect(fund.standardError == "meridian: error: the ledger disagrees with its entries in 1 place(s): "
                    + "fund rapid: stored available balance is 6,001.00 USD; the entries sum to 6,000.00 USD\n", "\(fund.standardError)")
            let audit = try await MeridianBinary.run(["audit", "verify", "--database-url", fixture.database.url])
            #expect(audit.status == 1)
            #expect(audit.standardOutput.contains("every chain intact\nBROKEN: ledger: fund rapid: stored available balance is 6,001.00 USD"),
                    "\(audit.standardOutput)")
        }
    }
}
