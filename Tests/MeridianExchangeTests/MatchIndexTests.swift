import Foundation
import Logging
import MeridianDomainTestSupport
@testable import MeridianExchange
import PostgresNIO
import Testing

/// The in-memory exhaustive ranking (issue 15 §7): the same matches as the SQL exhaustive
/// ranking, and never stale, whoever writes the catalogue and whenever they commit.
@Suite("the in-memory match index")
struct MatchIndexTests {
    /// The index's matches next to the SQL exhaustive ranking's, for `request`.
    static func compare(_ request: MatchRequest, index: MatchIndex, _ client: PostgresClient, _ logger: Logger) async throws -> (MatchResult, MatchResult) {
        let memory = try await Matcher(client: client, logger: logger, preselection: .memory, index: index).match(request)
        let reference = try await Matcher(client: client, logger: logger, preselection: .exhaustive).match(request)
        return (memory, reference)
    }

    static func expectSame(_ memory: MatchResult, _ reference: MatchResult, _ note: String) {
        #expect(memory.matches == reference.matches, "\(note): \(memory.matches.map { "\($0.experienceID)@\($0.score)" }) vs \(reference.matches.map { "\($0.experienceID)@\($0.score)" })")
        #expect(memory.candidatesRanked == reference.candidatesRanked, "\(note)")
    }

    /// Requests in the four languages, of countries in and out of the catalogue.
    static var requests: [MatchRequest] {
        var requests: [MatchRequest] = [MatchingTests.ddr, MatchingTests.cct]
        for text in TextRankTests.requests {
            requests.append(MatchRequest(text: text, sectors: [.socialProtection], countryCode: "KEN", region: .subSaharanAfrica, incomeGroup: .lowerMiddle))
            requests.append(MatchRequest(text: text, sectors: [], countryCode: "QQQ", region: .southAsia, incomeGroup: .low))
        }
        for (_, text) in MultilingualMatchingTests.translations.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            requests.append(MultilingualMatchingTests.request(text))
            requests.append(MatchRequest(text: text, sectors: [.demobilisationReintegration, .education, .demobilisationReintegration],
                                         countryCode: "BRA", region: .latinAmericaCaribbean, incomeGroup: .upperMiddle))
        }
        return requests
    }

    @Test("on the seed catalogue, the index's matches (ids, scores, reasons) and candidate counts equal the SQL exhaustive ranking's, in every language")
    func seedEqualsExhaustive() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            let index = MatchIndex()
            var compared = 0
            for request in Self.requests {
                let (memory, reference) = try await Self.compare(request, index: index, client, logger)
                Self.expectSame(memory, reference, request.text)
                if !reference.matches.isEmpty { compared += 1 }
            }
            #expect(compared >= 10)
            #expect(await index.reading.loads == 1, "loaded once, then only caught up")
        }
    }

    @Test("on a generated catalogue of 3,000 experiences, the index's matches equal the SQL exhaustive ranking's for 40 requests")
    func generatedEqualsExhaustive() async throws {
        try await withKnowledgeBase { client, logger, _ in
            var generator = try SyntheticCatalogue(seed: 7)
            _ = try await ExperienceImporter.store(generator.experiences(3_000), client: client, logger: logger)
            let index = MatchIndex()
            var found = 0
            for _ in 0..<40 {
                let (memory, reference) = try await Self.compare(generator.request(), index: index, client, logger)
                Self.expectSame(memory, reference, "generated")
                found += reference.matches.count
            }
            #expect(found >= 100)
        }
    }

    @Test("concurrent first matches share one load and all finish with the exhaustive ranking's matches")
    func concurrentFirstMatches() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            let index = MatchIndex()
            let results = try await withThrowingTaskGroup(of: MatchResult.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await Matcher(client: client, logger: logger, index: index).match(MatchingTests.ddr) }
                }
                var results: [MatchResult] = []
                for try await result in group { results.append(result) }
                return results
            }
            let reference = try await Matcher(client: client, logger: logger, preselection: .exhaustive).match(MatchingTests.ddr)
            #expect(results.count == 6 && results.allSatisfy { $0.matches == reference.matches })
            #expect(await index.reading.loads == 1)
        }
    }

    @Test("an experience imported, changed or deleted after the index loaded is seen by the next match")
    func writesAreSeen() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            let index = MatchIndex()
            let request = MatchRequest(text: "beekeeping cooperatives for honey exports", sectors: [.agriculture], countryCode: "QQQ",
                                       region: .subSaharanAfrica, incomeGroup: .low)
            let before = try await Matcher(client: client, logger: logger, index: index).match(request)
            #expect(!before.matches.contains { $0.countryCode == "QAA" })
            let loaded = await index.count

            _ = try await ExperienceImporter.store([sample("QAA", "Honey", sectors: [.agriculture], text: "beekeeping cooperatives export honey")],
                                                   client: client, logger: logger)
            var (memory, reference) = try await Self.compare(request, index: index, client, logger)
            #expect(memory.matches.first?.countryCode == "QAA")
            Self.expectSame(memory, reference, "after an import")
            #expect(await index.count == loaded + 1)

            // Re-imported about something else: its old words no longer match.
            _ = try await ExperienceImporter.store([sample("QAA", "Honey", sectors: [.education], text: "teacher training for primary schools")],
                                                   client: client, logger: logger)
            (memory, reference) = try await Self.compare(request, index: index, client, logger)
            #expect(!memory.matches.contains { $0.countryCode == "QAA" })
            Self.expectSame(memory, reference, "after a change")

            _ = try await ExperienceImporter.store([sample("QAB", "Honey too", sectors: [.agriculture], text: "beekeeping cooperatives export honey")],
                                                   client: client, logger: logger)
            _ = try await Self.compare(request, index: index, client, logger)
            try await client.query("DELETE FROM experiences WHERE country_code = 'QAB'", logger: logger)
            (memory, reference) = try await Self.compare(request, index: index, client, logger)
            #expect(!memory.matches.contains { $0.countryCode == "QAB" })
            Self.expectSame(memory, reference, "after a delete")
            #expect(await index.count == loaded + 1)
            #expect(await index.reading.loads == 1)
        }
    }

    @Test("a transaction open during a catch-up and committed after it is seen by the following match")
    func openTransactionIsSeenAfterItCommits() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            let index = MatchIndex()
            let request = MatchRequest(text: "beekeeping cooperatives for honey exports", sectors: [.agriculture], countryCode: "QQQ",
                                       region: .subSaharanAfrica, incomeGroup: .low)
            _ = try await Matcher(client: client, logger: logger, index: index).match(request)
            try await client.withConnection { open in
                try await open.query("BEGIN", logger: logger)
                // This transaction takes its id first …
                _ = try await ExperienceStore.upsert([sample("QAA", "Slow honey", sectors: [.agriculture], text: "beekeeping cooperatives export honey")],
                                                     on: open, logger: logger, refreshTerms: false)
                // … a later one commits meanwhile, so the next match catches up while it is open.
                _ = try await ExperienceImporter.store([sample("QAB", "Quick honey", sectors: [.agriculture], text: "beekeeping cooperatives export honey")],
                                                       client: client, logger: logger)
                let during = try await Matcher(client: client, logger: logger, index: index).match(request)
                #expect(during.matches.contains { $0.countryCode == "QAB" })
                #expect(!during.matches.contains { $0.countryCode == "QAA" })
                #expect(await index.reading.catchUps == 1)
                try await open.query("COMMIT", logger: logger)
            }
            let (memory, reference) = try await Self.compare(request, index: index, client, logger)
            #expect(memory.matches.contains { $0.countryCode == "QAA" }, "the transaction committed after the catch-up is read by the next")
            Self.expectSame(memory, reference, "after the late commit")
        }
    }

    @Test("feedback given after the index loaded counts in the next match")
    func feedbackIsSeen() async throws {
        try await ExchangeFixture.with { f in
            let index = MatchIndex()
            let id = try await f.exchangeAtPartnerSelection()
            let round = try #require(try await f.exchanges.matches(id, for: Fixtures.codOfficial))
            let matched = try #require(round.matches.first)
            let request = MatchingTests.ddr
            _ = try await Matcher(client: f.client, logger: f.logger, index: index).match(request)
            #expect(await index.catalogue.feedback(of: matched.experienceID) == FeedbackTally.none)
            _ = try await FeedbackStore(client: f.client, logger: f.logger).give(
                experienceId: matched.experienceID, exchangeId: id, useful: true, comment: nil, by: Fixtures.codOfficial)
            let (memory, reference) = try await Self.compare(request, index: index, f.client, f.logger)
            #expect(await index.catalogue.feedback(of: matched.experienceID) == FeedbackTally(useful: 1, notUseful: 0))
            Self.expectSame(memory, reference, "after feedback")
        }
    }

    @Test("a truncated catalogue, or tombstones pruned before the index read them, make the index reload in full")
    func reloads() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            let index = MatchIndex()
            let request = MatchingTests.cct
            _ = try await Matcher(client: client, logger: logger, index: index).match(request)
            // A tombstone older than a day is pruned by the next delete: an index that had not
            // read it cannot know which experience went.
            try await client.query("DELETE FROM experiences WHERE country_code = 'MEX'", logger: logger)
            try await client.query("UPDATE experience_tombstones SET deleted_at = now() - interval '2 days'", logger: logger)
            try await client.query("DELETE FROM experiences WHERE country_code = 'BRA'", logger: logger)
            var (memory, reference) = try await Self.compare(request, index: index, client, logger)
            Self.expectSame(memory, reference, "after pruning")
            #expect(await index.reading.loads == 2)
            let old = try await client.query(
                "SELECT count(*) FILTER (WHERE deleted_at < now() - interval '1 day')::int8, count(*)::int8 FROM experience_tombstones",
                logger: logger).collect()[0].decode((Int, Int).self)
            #expect(old.0 == 0 && old.1 >= 1, "the old tombstones pruned, the new kept")

            try await client.query("TRUNCATE experiences CASCADE", logger: logger)
            _ = try await ExperienceImporter.store([sample("QAA", "Cash", text: "cash transfers to poor households")], client: client, logger: logger)
            (memory, reference) = try await Self.compare(request, index: index, client, logger)
            Self.expectSame(memory, reference, "after truncation")
            #expect(await index.reading.loads == 3)
            #expect(await index.count == 1)
        }
    }

    @Test("compaction drops the slots of removed experiences and ranks as before it")
    func compaction() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            let index = MatchIndex()
            _ = try await Matcher(client: client, logger: logger, index: index).match(MatchingTests.cct)
            var removed = await index.catalogue
            let slots = removed.entries.count
            let gone = Array(removed.slotByID.keys.sorted().prefix(40))
            for id in gone { removed.remove(id) }
            var compacted = removed
            compacted.compact()
            #expect(removed.entries.count == slots && removed.dead == 40)
            #expect(compacted.entries.count == slots - 40 && compacted.count == slots - 40 && compacted.dead == 0)
            #expect(compacted.postings.values.allSatisfy { list in zip(list.slots, list.slots.dropFirst()).allSatisfy { $0 < $1 } })
            let terms = ["cash", "transfer", "household", "school"].map { CandidatePlan.Term(word: $0, lexeme: $0, documents: 20) }
            let scorer = MatchScorer(request: MatchingTests.cct, weights: .default)
            let before = removed.rank(terms: terms, factors: [1.5, 1, 0.5, 2], scorer: scorer)
            let after = compacted.rank(terms: terms, factors: [1.5, 1, 0.5, 2], scorer: scorer)
            #expect(after.candidates == before.candidates && after.ranked == before.ranked && after.bestRank == before.bestRank)
            #expect(!before.candidates.isEmpty)
            #expect(!after.candidates.contains { gone.contains($0.experience.id!) })
        }
    }
}
