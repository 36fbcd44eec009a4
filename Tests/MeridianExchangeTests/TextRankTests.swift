import Foundation
@testable import MeridianExchange
import PostgresNIO
import Testing

@Suite("text rank computed in Swift")
struct TextRankTests {
    /// Request texts whose lexemes are ranked against every seed experience.
    static let requests = [
        "reintegrate demobilised ex-combatants and former fighters into their communities after the civil war",
        "cash transfers to poor households conditional on school attendance and health check-ups of children",
        "land titles for rural women, registry and cadastre; pensions and savings for informal workers",
    ]

    @Test("the rank equals ts_rank_cd of the request's words for every seed experience, and the matched lexemes are those the vector holds")
    func equalsTsRankCd() async throws {
        try await withKnowledgeBase(seeded: true) { client, logger, _ in
            for text in Self.requests {
                var lexemes: [String] = []
                for try await lexeme in try await client.query(
                    "SELECT DISTINCT l FROM ts_debug('english', \(text)) d, unnest(d.lexemes) l WHERE length(l) >= 3 ORDER BY l",
                    logger: logger
                ).decode(String.self) { lexemes.append(lexeme) }
                #expect(lexemes.count >= 8)
                let ranker = TextRank(lexemes: lexemes)
                let rows = try await client.query(
                    """
                    SELECT e.id, e.search, ts_rank_cd(e.search, \(CandidatePlan.anyOf(lexemes))::tsquery)::float8,
                           ARRAY(SELECT l FROM unnest(\(lexemes)::text[]) l WHERE l = ANY(tsvector_to_array(e.search)) ORDER BY l)
                    FROM experiences e ORDER BY e.id
                    """,
                    logger: logger
                )
                var checked = 0
                var nonZero = 0
                for try await row in rows {
                    let cells = row.makeRandomAccess()
                    let id = try cells[0].decode(Int.self)
                    let score = try ranker.score(try #require(cells[1].bytes))
                    let expected = try cells[2].decode(Double.self)
                    let holds = try cells[3].decode([String].self)
                    #expect(abs(score.rank - expected) < 1e-5, "experience \(id): \(score.rank) vs ts_rank_cd \(expected)")
                    #expect(score.matched.map { lexemes[$0] } == holds, "experience \(id)")
                    checked += 1
                    if score.tenths > 0 { nonZero += 1 }
                }
                #expect(checked >= 29)
                #expect(nonZero > 0)
            }
        }
    }

    @Test("bytes that are not a binary tsvector are refused")
    func malformed() throws {
        let ranker = TextRank(lexemes: ["cash"])
        var truncated = ByteBuffer()
        truncated.writeInteger(Int32(2))
        truncated.writeBytes(Array("cash".utf8) + [0])
        truncated.writeInteger(UInt16(3))
        truncated.writeInteger(UInt16(0xC001))
        #expect(throws: ExchangeError.self) { try ranker.score(truncated) }
        #expect(throws: ExchangeError.self) { try ranker.score(ByteBuffer(bytes: [0, 0])) }
        var valid = ByteBuffer()
        valid.writeInteger(Int32(1))
        valid.writeBytes(Array("cash".utf8) + [0])
        valid.writeInteger(UInt16(2))
        valid.writeInteger(UInt16(0xC001))  // A
        valid.writeInteger(UInt16(0x4002))  // C
        let score = try ranker.score(valid)
        #expect(score.tenths == 12 && score.matched == [0])
        #expect(abs(score.weighted - TextRank.saturated(12)) < 1e-12, "factor 1: the saturated weight of 1.2")
    }
}
