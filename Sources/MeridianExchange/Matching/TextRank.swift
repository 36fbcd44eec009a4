import Foundation
import PostgresNIO

/// Ranks an experience's `search` vector against the request's lexemes in Swift, with the
/// value PostgreSQL's `ts_rank_cd(search, 'a' | 'b' | …)` gives, at a fraction of its cost.
///
/// For a query that is only ORs of lexemes, every cover `ts_rank_cd` finds is a single
/// position, so its rank is the sum, over every position of every request lexeme the vector
/// holds, of that position's weight (A 1.0, B 0.4, C 0.2, D 0.1; normalisation 0). PostgreSQL
/// finds those covers in time that grows with the square of the matched positions (about
/// 20–40 µs a row for a 15-word request); summing the weights while reading the vector's
/// binary form is linear and takes well under a microsecond. The sum is kept in tenths, an
/// integer, so equal ranks compare equal (`ts_rank_cd` adds `float4`s). A test checks the
/// value against `ts_rank_cd` over the seed catalogue.
struct TextRank {
    /// A vector's rank and which of the request's lexemes it holds.
    struct Score: Equatable {
        /// The rank in tenths: `ts_rank_cd` × 10.
        var tenths: Int
        /// Indices into the lexemes the ranker was made with, ascending.
        var matched: [Int]
        /// The rank with each lexeme's positions multiplied by its factor (``TermWeight``):
        /// what matching scores with; equal to ``rank`` when every factor is 1.
        var weighted: Double = 0

        var rank: Double { Double(tenths) / 10 }
    }

    /// The request's lexemes by their length in bytes, each with its index: a vector's
    /// lexeme is compared only with those of its length, without copying it.
    private let byLength: [[(bytes: [UInt8], index: Int)]]
    /// A factor per lexeme for ``Score/weighted``.
    private let factors: [Double]

    /// A ranker for `lexemes` (distinct), with a factor for each (1 when left out).
    init(lexemes: [String], factors: [Double]? = nil) {
        self.factors = factors ?? Array(repeating: 1, count: lexemes.count)
        var byLength: [[(bytes: [UInt8], index: Int)]] = []
        for (index, lexeme) in lexemes.enumerated() {
            let bytes = Array(lexeme.utf8)
            while byLength.count <= bytes.count { byLength.append([]) }
            byLength[bytes.count].append((bytes, index))
        }
        self.byLength = byLength
    }

    /// Ranks one `tsvector` in PostgreSQL's binary format (`tsvector_send`): a count, then
    /// per lexeme its UTF-8 bytes, a zero byte, a count of positions and the positions, each
    /// a 16-bit big-endian word with the weight in its top two bits.
    /// - Throws: ``ExchangeError`` `.invalidData` when the bytes are not such a vector.
    func score(_ vector: ByteBuffer) throws -> Score {
        let score = vector.withUnsafeReadableBytes { bytes -> Score? in
            var tenths = 0
            var weighted = 0.0
            var matched: [Int] = []
            let valid = BinaryTSVector.forEachLexeme(bytes) { lexeme, positions in
                let length = lexeme.count
                guard length > 0, length < byLength.count,
                      let found = byLength[length].first(where: { candidate in
                          candidate.bytes.withUnsafeBytes { memcmp($0.baseAddress!, lexeme.baseAddress!, length) == 0 }
                      }) else { return }
                matched.append(found.index)
                let own = positions.tenths
                tenths += own
                weighted += factors[found.index] * Self.saturated(own)
            }
            guard valid else { return nil }
            matched.sort()
            return Score(tenths: tenths, matched: matched, weighted: weighted)
        }
        guard let score else { throw Self.malformed }
        return score
    }

    /// A lexeme's weight in a document, its positions' tenths summed, saturating as BM25's
    /// term frequency does: one A position (10) counts 1, four count 1.6, never more than 2;
    /// one C position (2) counts 0.33. Without it, a long text repeating a common word
    /// outranks a short one that names the problem once.
    static func saturated(_ tenths: Int) -> Double {
        2 * Double(tenths) / (Double(tenths) + 10)
    }

    private static var malformed: ExchangeError {
        ExchangeError(.invalidData, "the database sent a search vector that is not a binary tsvector")
    }
}
