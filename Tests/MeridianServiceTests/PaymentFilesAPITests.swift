import Foundation
import HTTPTypes
import MeridianFunding
import MeridianService
import Testing

/// The stored payment files over HTTP: a file whose delivery was never recorded is answered
/// again by the next export (200, the same MsgId), and any file can be listed and fetched.
@Suite struct PaymentFilesAPITests {
    private struct DeliveryLost: Error {}

    @Test func aWaitingFileIsAnsweredAgainWithItsMsgIdAndCanBeFetched() async throws {
        try await ServiceFixture.with { f in
            let finn = try await f.caller(.financeOfficer), fay = try await f.caller(.fundApprover)
            let grant = try await ConcurrentVotesTests.exchangeInFundingReview(f, grant: 100_000, fund: "rapid")
            _ = try await f.service.voteOnGrant(grant, approve: true, comment: nil, key: nil, by: fay)
            _ = try await f.service.disburse(grant: grant, instalment: 1, beneficiary: "RDRC", account: try BankAccount.iban("GB82 WEST 1234 5698 7654 32"),
                                             reference: nil, key: nil, by: finn)
            // Stored, its payment exported, but the delivery never recorded.
            var lost: String?
            do {
                _ = try await f.service.exportPayments(execution: nil, by: finn) { exported in
                    lost = exported.xml
                    throw DeliveryLost()
                }
            } catch is DeliveryLost {}
            let stored = try #require(lost)

            let token = f.tokens[.financeOfficer]!
            let answers = try await f.withAPI { client in
                [
                    try await HTTPCall.get("/api/v1/payments/files?state=prepared").send(client, token: token),
                    try await HTTPCall.post("/api/v1/payments/exports", nil).send(client, token: token),
                    try await HTTPCall.post("/api/v1/payments/exports", nil).send(client, token: token),
                    try await HTTPCall.get("/api/v1/payments/files").send(client, token: token),
                ]
            }
            let (waiting, again, nothing, all) = (answers[0], answers[1], answers[2], answers[3])
            let files = try #require(try JSONSerialization.jsonObject(with: Data(waiting.body.utf8)) as? [[String: Any]], "\(waiting.body)")
            let messageID = try #require(files.first?["message_id"] as? String)
            #expect(files.count == 1 && files[0]["state"] as? String == "prepared" && files[0]["created_by"] as? String == "finn", "\(files)")
            #expect(again.status == 200 && again.body == stored, "\(again.status) \(again.body.prefix(200))")
            #expect(again.headers[HTTPField.Name("Meridian-Message-Id")!] == messageID)
            #expect(again.headers[HTTPField.Name("Meridian-Redelivered")!] == "true")
            #expect(again.headers[HTTPField.Name("Meridian-Still-Pending")!] == "0")
            #expect(again.headers[HTTPField.Name("Meridian-Payments")!] == "1")
            #expect(again.headers[HTTPField.Name("Meridian-Control-Sum")!] == files[0]["control_sum"] as? String)
            #expect(nothing.status == 204)
            let after = try #require(try JSONSerialization.jsonObject(with: Data(all.body.utf8)) as? [[String: Any]], "\(all.body)")
            #expect(after.count == 1 && after[0]["state"] as? String == "delivered" && after[0]["deliveries"] as? Int == 1, "\(after)")

            let fetched = try await f.withAPI { client in
                [
                    try await HTTPCall.get("/api/v1/payments/files/\(messageID)").send(client, token: token),
                    try await HTTPCall.get("/api/v1/payments/files/MER-NONE").send(client, token: token),
                    try await HTTPCall.get("/api/v1/payments/files?state=lost").send(client, token: token),
                ]
            }
            #expect(fetched[0].status == 200 && fetched[0].body == stored && fetched[0].headers[.contentType]?.hasPrefix("application/xml") == true)
            #expect(fetched[0].headers[HTTPField.Name("Meridian-File-State")!] == "delivered")
            #expect(fetched[0].headers[HTTPField.Name("Meridian-Payments")!] == "1")
            #expect(fetched[0].headers[HTTPField.Name("Meridian-Control-Sum")!] == files[0]["control_sum"] as? String)
            #expect(fetched[1].status == 404 && fetched[1].body.contains("no payment file has the message id 'MER-NONE'"), "\(fetched[1].body)")
            #expect(fetched[2].status == 400, "\(fetched[2].status) \(fetched[2].body)")
        }
    }
}
