import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianFunding
import MeridianIdentity
import MeridianTestSupport
import MeridianXML
import PostgresNIO
import Testing

/// The funding commands run as a user would: the built `meridian` binary against a test database.
@Suite("meridian fund, grant, disburse, payments, export")
struct FundingCommandTests {
    private func meridian(_ fixture: FundingFixture, as token: String? = nil, _ arguments: String...) async throws -> MeridianBinary.Output {
        try await MeridianBinary.run(arguments + ["--database-url", fixture.database.url], environment: token.map { ["MERIDIAN_TOKEN": $0] } ?? [:])
    }

    /// A user with `roles` and a token for them.
    private func user(_ fixture: FundingFixture, _ handle: String, _ roles: Set<Role>, country: String? = nil) async throws -> String {
        let store = IdentityStore(client: fixture.client, logger: fixture.logger)
        _ = try await store.addUser(handle: handle, name: handle.uppercased(), roles: roles, country: country)
        return try await store.createToken(for: handle, label: nil, expiresAt: nil).secret
    }

    @Test("a fund's whole life from the command line, with each refusal's exit code and nothing changed")
    func lifecycle() async throws {
        try await FundingFixture.with { fixture in
            let ana = try await user(fixture, "ana", [.admin])
            let fo9 = try await user(fixture, "fo9", [.financeOfficer])
            let fo1 = try await user(fixture, "fo1", [.financeOfficer])
            let fa1 = try await user(fixture, "fa1", [.fundApprover, .financeOfficer])
            let fa2 = try await user(fixture, "fa2", [.fundApprover])
            let someone = try await user(fixture, "someone", [.supervisor])
            let off = try await user(fixture, "off", [.official, .fundApprover], country: "KEN")
            let created = try await meridian(fixture, as: ana, "fund", "create", "rapid", "--name", "Rapid Response Fund", "--currency", "USD",
                                             "--iban", "DE89 3704 0044 0532 0130 00", "--bic", "COBADEFFXXX")
            #expect(created.status == 0, "\(created.standardError)")
            let badAmount = try await meridian(fixture, as: fo9, "fund", "contribute", "rapid", "--donor", "Donor A", "--amount", "1,000.505 USD",
                                               "--reference", "AGR-1")
            #expect(badAmount.status == 65)
            #expect(badAmount.standardError.hasPrefix("meridian: error: '1,000.505 USD' has 3 decimals, but USD has 2"))
            let noRole = try await meridian(fixture, as: someone, "fund", "contribute", "rapid", "--donor", "Donor A", "--amount", "100 USD",
                                            "--reference", "AGR-1")
            #expect(noRole.status == 77)
            let unknown = try await meridian(fixture, as: someone, "fund", "statement", "nope")
            #expect(unknown.status == 66)
            let contributed = try await meridian(fixture, as: fo9, "fund", "contribute", "rapid", "--donor", "Donor A", "--amount", "1,000,000.00 USD",
                                                 "--date", "2026-01-15", "--reference", "AGR-1")
            #expect(contributed.status == 0, "\(contributed.standardError)")

            let exchange = try await fixture.exchangeInFundingReview(grant: 6_000_000, coFinancing: 2_000_000, instalments: [70, 30])
            #expect(try await meridian(fixture, "grant", "list", "--json").status == 77, "people's commands need a token")
            let list = try await meridian(fixture, as: someone, "grant", "list", "--json")
            let grants = try #require(try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]])
            #expect(grants.count == 1)
            let grantID = try #require(grants.first?["id"] as? String)
            #expect((grants.first?["amount"] as? [String: Any])?["minor_units"] as? Int == 6_000_000)
            #expect((grants.first?["co_financing"] as? [String: Any])?["text"] as? String == "20,000.00 USD")

            let byAuthor = try await meridian(fixture, as: off, "grant", "approve", grantID)
            #expect(byAuthor.status == 1 && byAuthor.standardError.contains("separation of duties"), "\(byAuthor.standardError)")
            #expect(try await meridian(fixture, as: fa1, "grant", "approve", grantID).status == 0)
            let second = try await meridian(fixture, as: fa2, "grant", "approve", String(grantID.prefix(8)))
            #expect(second.status == 0, "\(second.standardError)")
            #expect(try await fixture.state(exchange) == "disbursement")

            let byApprover = try await meridian(fixture, as: fa1, "disburse", grantID, "--beneficiary", "Ministry of Water", "--iban", "GB82 WEST 1234 5698 7654 32")
            #expect(byApprover.status == 1, "\(byApprover.standardError)")
            let disbursed = try await meridian(fixture, as: fo1, "disburse", grantID, "--beneficiary", "Ministry of Water", "--iban", "GB82 WEST 1234 5698 7654 32",
                                               "--json")
            #expect(disbursed.status == 0, "\(disbursed.standardError)")
            let retried = try await meridian(fixture, as: fo1, "disburse", grantID, "--beneficiary", "Ministry of Water", "--iban", "GB82 WEST 1234 5698 7654 32")
            let anonymous = try await meridian(fixture, "disburse", grantID, "--beneficiary", "Ministry of Water", "--iban", "GB82 WEST 1234 5698 7654 32")
            #expect(anonymous.status == 77)
            #expect(retried.status == 0 && retried.standardOutput.contains("nothing paid twice"))

            let file = FileManager.default.temporaryDirectory.appendingPathComponent("pain001-\(UUID().uuidString).xml").path
            let anonymousExport = try await meridian(fixture, "payments", "export", "--format", "pain.001", "--output", file)
            #expect(anonymousExport.status == 77 && !FileManager.default.fileExists(atPath: file), "exporting needs a finance officer")
            let unwritable = try await meridian(fixture, as: fo1, "payments", "export", "--format", "pain.001", "--output", "/nonexistent-folder/p.xml")
            // The file is stored before it is written: a failed write leaves it prepared, and the next export writes the same file.
            #expect(unwritable.status == 1 && unwritable.standardError.contains("is stored and its payments count as exported"), "\(unwritable.standardError)")
            let stored = try #require(try await PaymentStore.list(client: fixture.client, logger: fixture.logger).first)
            let messageID = try #require(stored.messageID)
            #expect(stored.status == .exported && unwritable.standardError.contains(messageID))
            let waiting = try await meridian(fixture, as: fo1, "payments", "files", "--state", "prepared", "--json")
            let waitingFiles = try #require(try JSONSerialization.jsonObject(with: Data(waiting.standardOutput.utf8)) as? [[String: Any]], "\(waiting.standardError)")
            #expect(waitingFiles.map { $0["message_id"] as? String } == [messageID] && waitingFiles.first?["deliveries"] as? Int == 0)
            #expect(try await meridian(fixture, as: someone, "payments", "files").status == 77, "reading payment files needs a finance officer")
            let exported = try await meridian(fixture, as: fo1, "payments", "export", "--format", "pain.001", "--output", file)
            #expect(exported.status == 0 && exported.standardOutput.contains("again") && exported.standardOutput.contains(messageID)
                    && exported.standardOutput.contains("1 payment(s), control sum 42000.00"), "\(exported.standardOutput)\(exported.standardError)")
            let xml = try String(contentsOfFile: file, encoding: .utf8)
            try StandardSchemas.pain001().validate(xml, what: "the exported file")
            #expect(xml.contains("<MsgId>\(messageID)</MsgId>"))
            let nothing = try await meridian(fixture, as: fo1, "payments", "export", "--format", "pain.001")
            #expect(nothing.status == 0 && nothing.standardOutput.isEmpty && nothing.standardError.contains("nothing written"), "\(nothing.standardError)")
            let copy = try await meridian(fixture, as: fo1, "payments", "file", messageID)
            #expect(copy.status == 0 && copy.standardOutput == xml, "the stored file is the delivered one, byte for byte")
            let listed = try await meridian(fixture, as: fo1, "payments", "files")
            #expect(listed.status == 0 && listed.standardOutput.contains(messageID) && listed.standardOutput.contains("delivered"), "\(listed.standardOutput)")
            let unknownFile = try await meridian(fixture, as: fo1, "payments", "file", "MER-NONE")
            #expect(unknownFile.status == 66 && unknownFile.standardError.contains("no payment file has the message id 'MER-NONE'"), "\(unknownFile.standardError)")
            let payment = try #require(try await PaymentStore.list(client: fixture.client, logger: fixture.logger).first)
            let report = FileManager.default.temporaryDirectory.appendingPathComponent("pain002-\(UUID().uuidString).xml").path
            try BankReports.pain002(original: messageID, [(payment.endToEndID, "RJCT", "AC04")]).write(toFile: report, atomically: true, encoding: .utf8)
            let reconciled = try await meridian(fixture, as: fo1, "payments", "reconcile", report)
            #expect(reconciled.status == 0, "\(reconciled.standardError)")
            #expect(try await fixture.state(exchange) == "disbursement")
            let statement = try await meridian(fixture, as: someone, "fund", "statement", "rapid", "--json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(statement.standardOutput.utf8)) as? [String: Any])
            #expect((json["committed"] as? [String: Any])?["minor_units"] as? Int == 6_000_000)
            #expect((json["available"] as? [String: Any])?["minor_units"] as? Int == 94_000_000)

            let iati = try await meridian(fixture, as: someone, "export", "iati", "--fund", "rapid")
            #expect(iati.status == 0, "\(iati.standardError)")
            try StandardSchemas.iatiActivities().validate(iati.standardOutput, what: "the IATI output")
            #expect(iati.standardOutput.contains("<transaction-type code=\"2\"/>") && iati.standardOutput.contains("<transaction-type code=\"11\"/>"))
        }
    }
}
