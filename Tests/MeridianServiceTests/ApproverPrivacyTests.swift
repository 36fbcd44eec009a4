import Foundation
import MeridianEngine
import MeridianExchange
import MeridianService
import Testing

/// Officials see that their grant was approved, never by whom (docs/security.md): not on the
/// grant, and not on the exchange's timeline, status or history either.
@Suite struct ApproverPrivacyTests {
    @Test func officialsSeeAVoteAsTheRolesWithoutTheVotersNameOrComment() async throws {
        try await ServiceFixture.with { f in
            let fay = try await f.caller(.fundApprover), cod = try await f.caller(.requestingOfficial)
            let rwa = try await f.caller(.partnerOfficial), pm = try await f.caller(.programManager)
            _ = try await f.service.voteOnGrant(f.grant.uuidString, approve: true, comment: "borderline; approve for Q4", key: nil, by: fay)

            for official in [cod, rwa] {
                let timeline = try await f.service.timeline(f.exchange, by: official)
                #expect(!timeline.contains { $0.who == "fay" || $0.comment?.contains("borderline") == true }, "\(official.handle): \(timeline)")
                #expect(timeline.contains { $0.who == TimelineLine.hiddenVoter && $0.event.contains("vote") })
                let recent = try await f.service.status(f.exchange, by: official).recent
                #expect(!recent.contains { $0.who == "fay" || $0.comment != nil && $0.comment!.contains("borderline") })
                let history = try await f.service.history(of: f.exchange, by: official)
                #expect(!history.contains { $0.actorID == "fay" || $0.payload.contains("borderline") })
            }
            // Staff see who voted, and why.
            let staffView = try await f.service.timeline(f.exchange, by: pm)
            #expect(staffView.contains { $0.who == "fay" && $0.comment == "borderline; approve for Q4" })
            #expect(try await f.service.history(of: f.exchange, by: pm).contains { $0.actorID == "fay" })

            try await f.withPages { client in
                let amani = PageBrowser(client)
                try await amani.signIn(f.tokens[.requestingOfficial]!)
                let page = try await amani.get("/exchanges/\(f.exchange.uuidString.lowercased())")
                #expect(page.status == 200 && !page.html.contains(">fay<") && !page.html.contains("borderline"))
            }
        }
    }
}
