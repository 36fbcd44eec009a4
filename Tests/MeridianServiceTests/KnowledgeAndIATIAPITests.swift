import Foundation
import HTTPTypes
import MeridianService
import Testing

/// The routes `meridian kb` and `meridian export iati` call through a server: a search's limit,
/// an experience's feedback (read by anyone, given by an official), a fund's IATI file for its readers.
@Suite struct KnowledgeAndIATIAPITests {
    @Test func searchLimitFeedbackAndIATIFiles() async throws {
        try await ServiceFixture.with { f in
            let grant = try await ConcurrentVotesTests.exchangeInFundingReview(f, grant: 100_000, fund: "rapid")
            let official = f.tokens[.requestingOfficial]!, finance = f.tokens[.financeOfficer]!
            let answers = try await f.withAPI { client in
                [
                    try await HTTPCall.get("/api/v1/experiences/search?q=reintegration&limit=1").send(client, token: nil),
                    try await HTTPCall.get("/api/v1/experiences/search?q=reintegration&limit=0").send(client, token: nil),
                    try await HTTPCall.get("/api/v1/experiences/1/feedback").send(client, token: nil),
                    try await HTTPCall.get("/api/v1/experiences/999999/feedback").send(client, token: nil),
                    try await HTTPCall.post("/api/v1/experiences/1/feedback", #"{"exchange": "\#(grant)", "useful": true}"#).send(client, token: nil),
                    try await HTTPCall.post("/api/v1/experiences/1/feedback", #"{"exchange": "not-an-id", "useful": true}"#).send(client, token: official),
                    try await HTTPCall.post("/api/v1/experiences/1/feedback", #"{"exchange": "\#(grant)", "useful": true, "extra": 1}"#).send(client, token: official),
                    try await HTTPCall.get("/api/v1/funds/rapid/iati?reporting_org=XM-DAC-41114").send(client, token: finance),
                    try await HTTPCall.get("/api/v1/funds/rapid/iati").send(client, token: official),
                    try await HTTPCall.get("/api/v1/exchanges/0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10/iati").send(client, token: official),
                ]
            }
            let hits = try #require(try JSONSerialization.jsonObject(with: Data(answers[0].body.utf8)) as? [Any], "\(answers[0].body)")
            #expect(answers[0].status == 200 && hits.count == 1)
            #expect(answers[1].status == 400, "\(answers[1].body)")
            #expect(answers[2].status == 200 && answers[2].body == "[]", "\(answers[2].body)")
            #expect(answers[3].status == 404, "\(answers[3].body)")
            #expect(answers[4].status == 401, "\(answers[4].body)")
            #expect(answers[5].status == 400 && answers[5].body.contains("is not an exchange id"), "\(answers[5].body)")
            #expect(answers[6].status == 422, "\(answers[6].body)")
            #expect(answers[7].status == 200 && answers[7].body.contains("XM-DAC-41114") && answers[7].headers[.contentType]?.hasPrefix("application/xml") == true,
                    "\(answers[7].status) \(answers[7].body.prefix(300))")
            #expect(answers[7].headers[HTTPField.Name("Meridian-Activities")!].flatMap(Int.init).map { $0 >= 1 } == true)
            #expect(answers[8].status == 403, "\(answers[8].body)")
            // An exchange's file is read end to end in RemoteCLITests (this fixture's grant has no exchange record).
            #expect(answers[9].status == 404, "\(answers[9].body)")
        }
    }
}
