import Foundation
import MeridianExchange
import Testing

@Suite("seed catalogue and search")
struct SeedAndSearchTests {
    @Test("the seed catalogue loads at least 25 real programmes, each with a source and valid codes, idempotently")
    func seedLoads() async throws {
        let seed = try SeedCatalogue.experiences()
        #expect(seed.count >= 25)
        for experience in seed {
            #expect(!experience.sources.isEmpty, "\(experience.programme) has no source")
            #expect(experience.countryCode.count == 3 && experience.countryCode == experience.countryCode.uppercased())
            #expect(!experience.sectors.isEmpty)
            #expect(experience.endYear.map { $0 >= experience.startYear } ?? true)
        }
        try await withKnowledgeBase { client, logger, _ in
            #expect(try await ExperienceImporter.store(seed, client: client, logger: logger) == ExperienceStore.WriteCount(inserted: seed.count, updated: 0))
            #expect(try await ExperienceImporter.store(seed, client: client, logger: logger) == ExperienceStore.WriteCount(inserted: 0, updated: seed.count))
            let stored = try await ExperienceStore(client: client, logger: logger).list()
            #expect(stored.count == seed.count)
            #expect(Set(stored.map(\.programme)) == Set(seed.map(\.programme)))
        }
    }

    @Test("searching for demobilised combatants' reintegration ranks DDR programmes first")
    func searchRanksDDR() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            let hits = try await ExperienceStore(client: client, logger: logger).search("demobilised combatants reintegration")
            let top = hits.prefix(3).map(\.experience)
            #expect(top.count == 3)
            #expect(top.allSatisfy { $0.sectors.contains(.demobilisationReintegration) }, "\(top.map(\.programme))")
            #expect(hits.map(\.rank) == hits.map(\.rank).sorted(by: >))
        }
    }

    @Test("a search with no experience holding every word falls back to any word; nonsense finds nothing")
    func searchFallsBack() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            let store = ExperienceStore(client: client, logger: logger)
            let fallback = try await store.search("stunting xylophone")
            #expect(!fallback.isEmpty)
            #expect(try await store.search("xylophone quasar").isEmpty)
        }
    }
}
