import NIOCore

extension MatchIndex {
    /// The experiences a ``MatchIndex`` holds: per experience a dense slot with what scoring
    /// needs besides the text (id, country, region, income group, sectors, evidence,
    /// feedback), per lexeme a posting list of (slot, tenths) in slot order — exactly the
    /// weights ``TextRank`` reads from the experience's `search` vector, by the same reader
    /// (``BinaryTSVector``).
    ///
    /// A changed experience gets a new slot and its old one is marked dead, so writing never
    /// searches the posting lists; the dead postings are skipped when ranking and dropped by
    /// ``compact()`` once they are a quarter of the slots.
    public struct Catalogue: Sendable {
        /// One experience's scoring columns; `Sector`, `Region`, … as their `allCases` index.
        struct Entry: Sendable {
            var id: Int
            var country: Int32
            var region: UInt8
            var income: UInt8
            /// Bit i: the experience holds `Sector.allCases[i]`.
            var sectors: UInt32
            var strength: UInt8
            var selfReported: Bool
            var feedback: FeedbackTally
            var alive = true
        }

        /// One lexeme's postings: slots ascending, each with the lexeme's tenths there.
        struct PostingList: Sendable {
            var slots: [UInt32] = []
            var tenths: [UInt16] = []

            mutating func append(_ slot: UInt32, _ tenths: UInt16) {
                slots.append(slot)
                self.tenths.append(tenths)
            }
        }

        /// A lexeme compared and hashed by its UTF-8 bytes, as PostgreSQL compares lexemes
        /// (a `String` would equate canonically equivalent spellings the vectors keep apart).
        struct Lexeme: Hashable, Sendable {
            var text: String

            static func == (lhs: Lexeme, rhs: Lexeme) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }

            func hash(into hasher: inout Hasher) {
                var text = text
                text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            }
        }

        /// An experience row as the index reads it (see ``MatchIndex/load(client:logger:)``).
        struct Row: Sendable {
            var id: Int
            var countryCode: String
            var region: Region
            var income: IncomeGroup
            var sectors: [Sector]
            var strength: OutcomeStrength
            var selfReported: Bool
            var feedback: FeedbackTally
            var search: ByteBuffer
        }

        var entries: [Entry] = []
        var slotByID: [Int: UInt32] = [:]
        var postings: [Lexeme: PostingList] = [:]
        var countries: [String] = []
        var countryIndex: [String: Int32] = [:]
        /// Slots marked dead since the last compaction.
        var dead = 0

        /// Live experiences.
        public var count: Int { slotByID.count }
        /// Postings held, dead ones included (what the memory is mostly made of).
        public var postingCount: Int { postings.values.reduce(0) { $0 + $1.slots.count } }
        /// Distinct lexemes.
        public var lexemeCount: Int { postings.count }

        static let sectorBits: [Sector: UInt32] = Dictionary(uniqueKeysWithValues: Sector.allCases.enumerated().map { ($1, UInt32(1) << $0) })
        static let regionIndex: [Region: UInt8] = Dictionary(uniqueKeysWithValues: Region.allCases.enumerated().map { ($1, UInt8($0)) })
        static let incomeIndex: [IncomeGroup: UInt8] = Dictionary(uniqueKeysWithValues: IncomeGroup.allCases.enumerated().map { ($1, UInt8($0)) })

        /// The feedback counted for experience `id`, if the index holds it.
        func feedback(of id: Int) -> FeedbackTally? { slotByID[id].map { entries[Int($0)].feedback } }

        /// Marks experience `id`'s slot dead, if the index holds it.
        mutating func remove(_ id: Int) {
            guard let slot = slotByID.removeValue(forKey: id) else { return }
            entries[Int(slot)].alive = false
            dead += 1
        }

        /// Adds `row` in a new slot (its previous slot, if any, marked dead).
        /// - Throws: ``ExchangeError`` `.invalidData` when its vector is not a binary `tsvector`.
        mutating func insert(_ row: Row) throws {
            remove(row.id)
            let country: Int32
            if let known = countryIndex[row.countryCode] {
                country = known
            } else {
                country = Int32(countries.count)
                countries.append(row.countryCode)
                countryIndex[row.countryCode] = country
            }
            let slot = UInt32(entries.count)
            entries.append(Entry(
                id: row.id, country: country, region: Self.regionIndex[row.region]!, income: Self.incomeIndex[row.income]!,
                sectors: row.sectors.reduce(0) { $0 | Self.sectorBits[$1]! }, strength: UInt8(row.strength.rawValue),
                selfReported: row.selfReported, feedback: row.feedback
            ))
            slotByID[row.id] = slot
            let valid = row.search.withUnsafeReadableBytes { bytes in
                BinaryTSVector.forEachLexeme(bytes) { lexeme, positions in
                    let tenths = UInt16(clamping: positions.tenths)
                    let key = Lexeme(text: String(decoding: lexeme, as: UTF8.self))
                    postings[key, default: PostingList()].append(slot, tenths)
                }
            }
            guard valid else {
                throw ExchangeError(.invalidData, "the database sent a search vector that is not a binary tsvector (experience \(row.id))")
            }
        }

        /// Drops dead slots and their postings once they are a quarter of the slots (and more
        /// than a thousand), renumbering the live ones in their order.
        mutating func compactIfWorthIt() {
            if dead > 1_000, dead * 4 > entries.count { compact() }
        }

        /// Drops dead slots and their postings, renumbering the live slots in their order (so
        /// posting lists stay in slot order).
        mutating func compact() {
            var renumbered = [UInt32](repeating: .max, count: entries.count)
            var kept: [Entry] = []
            kept.reserveCapacity(slotByID.count)
            for (slot, entry) in entries.enumerated() where entry.alive {
                renumbered[slot] = UInt32(kept.count)
                kept.append(entry)
            }
            var compacted: [Lexeme: PostingList] = [:]
            compacted.reserveCapacity(postings.count)
            for (lexeme, list) in postings {
                var fresh = PostingList()
                for (slot, tenths) in zip(list.slots, list.tenths) where renumbered[Int(slot)] != .max {
                    fresh.append(renumbered[Int(slot)], tenths)
                }
                if !fresh.slots.isEmpty { compacted[lexeme] = fresh }
            }
            entries = kept
            postings = compacted
            slotByID = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1.id, UInt32($0)) })
            dead = 0
        }
    }
}
