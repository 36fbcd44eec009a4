import Foundation
import Logging
@testable import MeridianExchange
import PostgresNIO
import Testing

@Suite("impact-ordered postings for matching")
struct PostingsTests {
    /// Per experience, the summed postings of `lexemes` next to `ts_rank_cd` × 10 of them OR-ed.
    static func mismatches(_ lexemes: [String], _ client: PostgresClient, _ logger: Logger) async throws -> (checked: Int, wrong: [Int]) {
        let rows = try await client.query(
            """
            SELECT e.id, coalesce((SELECT sum(p.tenths) FROM experience_postings p
                                   WHERE p.experience_id = e.id AND p.lexeme = ANY(\(lexemes)::text[])), 0)::int8,
                   round(ts_rank_cd(e.search, \(CandidatePlan.anyOf(lexemes))::tsquery) * 10)::int8
            FROM experiences e ORDER BY e.id
            """,
            logger: logger
        )
        var checked = 0
        var wrong: [Int] = []
        for try await (id, summed, rank) in rows.decode((Int, Int, Int).self) {
            checked += 1
            if summed != rank { wrong.append(id) }
        }
        return (checked, wrong)
    }

    static func lexemes(of text: String, _ client: PostgresClient, _ logger: Logger) async throws -> [String] {
        var lexemes: [String] = []
        for try await lexeme in try await client.query(
            "SELECT DISTINCT l FROM ts_debug('english', \(text)) d, unnest(d.lexemes) l WHERE length(l) >= 3 ORDER BY l",
            logger: logger
        ).decode(String.self) { lexemes.append(lexeme) }
        return lexemes
    }

    /// The lexemes an experience's postings name, next to those its vector holds.
    static func postingLexemes(of id: Int, _ client: PostgresClient, _ logger: Logger) async throws -> (postings: [String], vector: [String]) {
        let rows = try await client.query(
            """
            SELECT ARRAY(SELECT p.lexeme FROM experience_postings p WHERE p.experience_id = \(id) ORDER BY p.lexeme),
                   coalesce((SELECT ARRAY(SELECT l FROM unnest(tsvector_to_array(e.search)) l ORDER BY l)
                             FROM experiences e WHERE e.id = \(id)), '{}')
            """,
            logger: logger
        )
        for try await (postings, vector) in rows.decode(([String], [String]).self) { return (postings, vector) }
        return ([], [])
    }

    @Test("after the seed import, each experience's postings of a request's words sum to ts_rank_cd of those words")
    func postingsEqualRank() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            for text in TextRankTests.requests {
                let lexemes = try await Self.lexemes(of: text, client, logger)
                let (checked, wrong) = try await Self.mismatches(lexemes, client, logger)
                #expect(checked >= 29)
                #expect(wrong.isEmpty, "experiences whose postings disagree with ts_rank_cd: \(wrong)")
            }
        }
    }

    @Test("re-importing an experience replaces its postings, and deleting it removes them, in the same statement")
    func postingsFollowWrites() async throws {
        try await withKnowledgeBase { client, logger, _ in
            let first = sample("KEN", "Hunger Safety Net", text: "cash transfers to poor pastoralist households")
            _ = try await ExperienceImporter.store([first, sample("UGA", "Youth Opportunities", text: "grants to young people")], client: client, logger: logger)
            var id = 0
            for try await value in try await client.query(
                "SELECT id FROM experiences WHERE country_code = 'KEN'", logger: logger
            ).decode(Int.self) { id = value }
            var lexemes = try await Self.postingLexemes(of: id, client, logger)
            #expect(lexemes.postings.contains("pastoralist"))
            #expect(lexemes.postings == lexemes.vector)

            var changed = first
            changed.problem = "drought insurance for livestock herders"
            changed.approach = "Index-based insurance paid out when forage fails."
            changed.outcomes = "Fewer distress sales of livestock."
            _ = try await ExperienceImporter.store([changed], client: client, logger: logger)
            lexemes = try await Self.postingLexemes(of: id, client, logger)
            #expect(!lexemes.postings.contains("pastoralist"))
            #expect(lexemes.postings.contains("livestock"))
            #expect(lexemes.postings == lexemes.vector)
            let (_, wrong) = try await Self.mismatches(["livestock", "insur", "cash", "grant"], client, logger)
            #expect(wrong.isEmpty)

            try await client.query("DELETE FROM experiences WHERE id = \(id)", logger: logger)
            #expect(try await Self.postingLexemes(of: id, client, logger).postings.isEmpty)
            for try await orphans in try await client.query(
                "SELECT count(*)::int8 FROM experience_postings p WHERE NOT EXISTS (SELECT 1 FROM experiences e WHERE e.id = p.experience_id)",
                logger: logger
            ).decode(Int.self) { #expect(orphans == 0) }
        }
    }

    @Test("the postings pre-selection finds the seed DDR request's partners the search-index one finds")
    func postingsAgreeWithSearchIndex() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            for request in [MatchingTests.ddr, MatchingTests.cct] {
                let postings = try await Matcher(client: client, logger: logger, preselection: .postings).match(request)
                let searchIndex = try await Matcher(client: client, logger: logger, preselection: .searchIndex).match(request)
                #expect(postings.matches.map(\.countryCode) == searchIndex.matches.map(\.countryCode))
                #expect(postings.matches.map(\.score) == searchIndex.matches.map(\.score))
            }
            // Few postings per word: still the best by text, never the requester's own.
            let narrow = try await Matcher(client: client, logger: logger, preselection: .postings, candidateBudget: 10, candidateCap: 3).match(MatchingTests.ddr)
            #expect(!narrow.matches.isEmpty)
            #expect(!narrow.matches.contains { $0.countryCode == MatchingTests.ddr.countryCode })
            // The budget, plus as many as the requester has experiences (kept out afterwards).
            let own = try SeedCatalogue.experiences().filter { $0.countryCode == MatchingTests.ddr.countryCode }.count
            #expect(narrow.candidatesRanked <= 10 + own)
        }
    }

    @Test("the weighted postings pre-selection keeps the best rows by weighted text rank when it reads every posting")
    func weightedPreselectionKeepsTheExactBest() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            for var request in [MatchingTests.ddr, MatchingTests.cct] {
                // A requester without experiences, so the budget is exactly five rows.
                request.countryCode = "QQQ"
                var postings = Matcher(client: client, logger: logger, preselection: .postings, candidateBudget: 5, candidateCap: 100_000)
                postings.weightedPreselection = true
                let exhaustive = Matcher(client: client, logger: logger, preselection: .exhaustive, rankedCandidates: 5)
                let kept = try await postings.match(request)
                let reference = try await exhaustive.match(request)
                #expect(kept.matches.map(\.experienceID) == reference.matches.map(\.experienceID))
                #expect(kept.matches.map(\.score) == reference.matches.map(\.score))
            }
        }
    }

    @Test("automatic pre-selection ranks every candidate while the catalogue is small, and the postings above the limit")
    func automaticIsExhaustiveWhenSmall() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            for request in [MatchingTests.ddr, MatchingTests.cct] {
                let automatic = try await Matcher(client: client, logger: logger).match(request)
                let exhaustive = try await Matcher(client: client, logger: logger, preselection: .exhaustive).match(request)
                #expect(automatic.matches == exhaustive.matches)
                #expect(automatic.candidatesRanked == exhaustive.candidatesRanked)
                var overLimit = Matcher(client: client, logger: logger, candidateBudget: 10, candidateCap: 3)
                overLimit.exhaustiveLimit = 0
                let postings = try await overLimit.match(request)
                let own = try SeedCatalogue.experiences().filter { $0.countryCode == request.countryCode }.count
                #expect(postings.candidatesRanked <= 10 + own, "above the limit the postings' budget applies")
            }
        }
    }
}
