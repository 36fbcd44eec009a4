import Foundation
import MeridianDomainTestSupport
import MeridianQueue
import MeridianTestSupport
import Testing

/// `meridian queue …` as an operator runs it.
@Suite struct QueueCLITests {
    @Test func statsListShowRetryCancelAndPrune() async throws {
        try await withQueue { database, client, store in
            let waiting = try await store.enqueue(NewJob(kind: "report", queue: "mail"), on: client).id
            let dying = try await store.enqueue(NewJob(kind: "report", queue: "mail", maxAttempts: 1), on: client).id
            _ = try await store.cancel(waiting, on: client)
            try await store.retry(waiting, on: client)
            let claimed = try await store.claimAll("mail", on: client)
            let dead = try #require(claimed.first { $0.id == dying })
            _ = try await store.fail([Failure(lease: dead.lease, message: "smtp down", retryDelayMilliseconds: 0)], on: client)
            let url = ["--database-url", database.url]

            let stats = try await MeridianBinary.run(["queue", "stats", "--json"] + url)
            #expect(stats.status == 0)
            let decoded = try JSONSerialization.jsonObject(with: Data(stats.standardOutput.utf8)) as? [[String: Any]]
            #expect(decoded?.first?["queue"] as? String == "mail")
            #expect(decoded?.first?["dead"] as? Int == 1)

            let show = try await MeridianBinary.run(["queue", "show", "\(dying)"] + url)
            #expect(show.status == 0)
            #expect(show.standardOutput.contains("dead"))
            #expect(show.standardOutput.contains("smtp down"))

            let list = try await MeridianBinary.run(["queue", "list", "--state", "dead"] + url)
            #expect(list.status == 0 && list.standardOutput.contains("\(dying)"))

            let retry = try await MeridianBinary.run(["queue", "retry", "--all-dead", "--queue", "mail"] + url)
            #expect(retry.status == 0 && retry.standardOutput.contains("1 dead job"))
            #expect(try await store.job(dying, on: client)?.state == .available)

            let cancel = try await MeridianBinary.run(["queue", "cancel", "\(dying)"] + url)
            #expect(cancel.status == 0)
            #expect(try await store.job(dying, on: client)?.state == .cancelled)

            let prune = try await MeridianBinary.run(["queue", "prune", "--older-than", "0s"] + url)
            #expect(prune.status == 0 && prune.standardOutput.contains("pruned 1"))
        }
    }

    @Test func unknownIdsExit66AndBadFlags64() async throws {
        try await withQueue { database, _, _ in
            let url = ["--database-url", database.url]
            for command in [["queue", "show", "424242"], ["queue", "cancel", "424242"], ["queue", "retry", "424242"]] {
                let output = try await MeridianBinary.run(command + url)
                #expect(output.status == 66, "\(command)")
                #expect(output.standardError.hasPrefix("meridian: error: no job has the id 424242"), "\(command)")
                #expect(output.standardError.split(separator: "\n").count == 1)
            }
            #expect(try await MeridianBinary.run(["queue", "prune", "--older-than", "soon"] + url).status == 64)
            #expect(try await MeridianBinary.run(["queue", "retry", "1", "--all-dead"] + url).status == 64)
            #expect(try await MeridianBinary.run(["worker", "--queue", "mail=0"] + url).status == 64)
        }
    }
}
