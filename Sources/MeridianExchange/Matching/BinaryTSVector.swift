import Foundation

/// Reads a `tsvector` in PostgreSQL's binary format (`tsvector_send`): a 32-bit count, then
/// per lexeme its UTF-8 bytes, a zero byte, a 16-bit count of positions and the positions,
/// each a 16-bit big-endian word with the weight in its top two bits. Lexemes come in the
/// vector's order (byte-wise, shorter first on a common prefix).
///
/// One reader for both rankings: ``TextRank`` (the SQL exhaustive path, per row) and
/// ``MatchIndex`` (its postings), so that the two weigh a vector's lexemes identically.
enum BinaryTSVector {
    /// One lexeme's positions, read only when asked for.
    struct Positions {
        fileprivate let bytes: UnsafeRawBufferPointer
        fileprivate let first: Int
        let count: Int

        /// The sum of the positions' weights in tenths (A 10, B 4, C 2, D 1): what
        /// `ts_rank_cd` counts for the lexeme, times ten.
        var tenths: Int {
            var sum = 0
            for position in 0..<count {
                sum += BinaryTSVector.tenthsByWeight[Int(bytes[first + 2 * position]) >> 6]
            }
            return sum
        }
    }

    /// Tenths of a position's weight, by the weight code in its two high bits (D, C, B, A).
    static let tenthsByWeight = [1, 2, 4, 10]

    /// Calls `body` with each lexeme's bytes (never empty in a valid vector) and its
    /// positions, in the vector's order.
    /// - Returns: `false` when the bytes are not such a vector (`body` may have been called
    ///   for the lexemes before the fault).
    static func forEachLexeme(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Positions) -> Void) -> Bool {
        func uint16(at offset: Int) -> Int { Int(bytes[offset]) << 8 | Int(bytes[offset + 1]) }
        guard bytes.count >= 4 else { return false }
        let count = uint16(at: 0) << 16 | uint16(at: 2)
        var offset = 4
        for _ in 0..<count {
            var end = offset
            while end < bytes.count, bytes[end] != 0 { end += 1 }
            guard end + 3 <= bytes.count else { return false }
            let positions = uint16(at: end + 1)
            let first = end + 3
            guard first + 2 * positions <= bytes.count else { return false }
            body(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]), Positions(bytes: bytes, first: first, count: positions))
            offset = first + 2 * positions
        }
        return offset == bytes.count
    }
}
