/// Made-up experiences and requests for measuring matching at scale (`meridian bench match`).
///
/// Each synthetic experience takes one seed experience as its topic: 80% of its words come
/// from that experience's text, 20% from the whole catalogue, plus a few words of a long tail
/// of 20,000 made-up terms (place and institution names), so word frequencies and topics
/// look like prose about a few dozen kinds of programme. Countries are the user-assigned ISO
/// codes `QAA`…`QZZ`, so synthetic rows can never be mistaken for real ones.
public struct SyntheticCatalogue: Sendable {
    private let words: [String]
    private let topics: [[String]]
    private var random: SplitMix64

    /// - Parameter seed: the same seed gives the same catalogue and requests.
    public init(seed: UInt64 = 2025) throws {
        let experiences = try SeedCatalogue.experiences()
        topics = experiences.map { ($0.problem + " " + $0.approach + " " + $0.outcomes).split { !$0.isLetter }.map { $0.lowercased() } }
        words = topics.flatMap { $0 }
        random = SplitMix64(seed: seed)
    }

    /// `count` experiences, `programme` unique within each country.
    public mutating func experiences(_ count: Int) -> [Experience] {
        (0..<count).map { index in
            let country = Self.countryCode(index % 676)
            return Experience(
                countryCode: country,
                countryName: "Synthetic \(country)",
                region: Region.allCases[index % Region.allCases.count],
                incomeGroup: IncomeGroup.allCases[Int(random.next() % 4)],
                sectors: sectors(),
                programme: "Synthetic programme \(index)",
                startYear: 1960 + Int(random.next() % 60),
                endYear: nil,
                problem: text(words: 20 + Int(random.next() % 20), topic: index % topics.count),
                approach: text(words: 40 + Int(random.next() % 40), topic: index % topics.count),
                outcomes: text(words: 20 + Int(random.next() % 30), topic: index % topics.count),
                outcomeStrength: OutcomeStrength(rawValue: Int(random.next() % 4))!,
                sources: ["synthetic"]
            )
        }
    }

    /// A request from a random synthetic or real country, with 6–30 words and 0–2 sectors.
    public mutating func request() -> MatchRequest {
        MatchRequest(
            text: text(words: 6 + Int(random.next() % 25), topic: Int(random.next() % UInt64(topics.count))),
            sectors: Array(sectors().prefix(Int(random.next() % 3))),
            countryCode: Self.countryCode(Int(random.next() % 676)),
            region: Region.allCases[Int(random.next() % UInt64(Region.allCases.count))],
            incomeGroup: IncomeGroup.allCases[Int(random.next() % 4)]
        )
    }

    private mutating func text(words count: Int, topic: Int) -> String {
        (0..<count).map { _ in
            let draw = random.next() % 100
            if draw < 80 { return topics[topic][Int(random.next() % UInt64(topics[topic].count))] }
            if draw < 95 { return words[Int(random.next() % UInt64(words.count))] }
            return Self.tailWord(Int(random.next() % 20_000))
        }.joined(separator: " ")
    }

    /// A made-up word of the long tail, such as `qzbakor`.
    static func tailWord(_ index: Int) -> String {
        let letters = Array("bdfgklmnprstvz")
        let vowels = Array("aeiou")
        var word = "q"
        var rest = index
        for _ in 0..<4 {
            word.append(letters[rest % letters.count])
            rest /= letters.count
            word.append(vowels[rest % vowels.count])
            rest /= vowels.count
        }
        return word
    }

    private mutating func sectors() -> [Sector] {
        let first = Sector.allCases[Int(random.next() % UInt64(Sector.allCases.count))]
        let second = Sector.allCases[Int(random.next() % UInt64(Sector.allCases.count))]
        return first == second || random.next() % 2 == 0 ? [first] : [first, second]
    }

    static func countryCode(_ index: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return "Q" + String(letters[index / 26 % 26]) + String(letters[index % 26])
    }
}

/// A small, seedable generator (SplitMix64), so benchmarks are repeatable.
struct SplitMix64: Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
