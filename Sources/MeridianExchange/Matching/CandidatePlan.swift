import Foundation

/// Chooses which experiences are worth ranking, so that a match ranks a few hundred rows,
/// not every row that shares a common word with the request.
///
/// Ranking (``TextRank``) reads each row it ranks; in a catalogue of 100,000 experiences a
/// request's common words ("households", "programme") are in most rows. The plan is a
/// pre-selection query the GIN index answers: the request's terms one by one, rarest first,
/// while the estimated rows stay within a budget; then, for the common terms left over,
/// pairs and triples of them (rows that hold both or all three), smallest estimate first.
/// Rare terms are also the informative ones, so the rows cut are the weakest text matches.
/// Estimates assume terms are independent; a term the statistics do not know counts as rare.
struct CandidatePlan: Equatable {
    /// One word of the request: the word as written, its lexeme, and how many experiences
    /// hold the lexeme.
    struct Term: Equatable, Sendable {
        var word: String
        var lexeme: String
        var documents: Int
        /// Only from the English terms of a concept the request names, not its own words.
        var expanded = false
    }

    /// The pre-selection: rows holding every lexeme of any one group.
    var groups: [[String]]
    /// Estimated rows the pre-selection finds.
    var estimatedRows: Double

    /// At most this many groups, to keep the query itself cheap.
    static let maximumGroups = 32
    /// Pairs and triples are formed from this many of the leftover terms, rarest first.
    static let combinationPool = 8

    init(groups: [[String]], estimatedRows: Double) {
        self.groups = groups
        self.estimatedRows = estimatedRows
    }

    /// Plans for `terms` in a catalogue of `total` experiences, aiming at `budget` rows.
    init(terms: [Term], total: Int, budget: Int) {
        let catalogue = Double(max(total, terms.map(\.documents).max() ?? 1, 1))
        let sorted = terms.sorted { ($0.documents, $0.lexeme) < ($1.documents, $1.lexeme) }
        var groups: [[String]] = []
        var estimate = 0.0
        var covered: Set<String> = []
        for term in sorted where !covered.contains(term.lexeme) {
            guard term.documents == 0 || estimate + Double(term.documents) <= Double(budget) else { break }
            groups.append([term.lexeme])
            covered.insert(term.lexeme)
            estimate += Double(term.documents)
        }
        let leftover = Array(sorted.filter { !covered.contains($0.lexeme) }.prefix(Self.combinationPool))
        var smallest: (group: [String], rows: Double)?
        for size in 2...3 where leftover.count >= size {
            let combinations = Self.combinations(of: leftover, size: size).map { combination -> ([String], Double) in
                let rows = combination.reduce(catalogue) { $0 * Double($1.documents) / catalogue }
                return (combination.map(\.lexeme), rows)
            }.sorted { $0.1 < $1.1 }
            for (group, rows) in combinations {
                if smallest == nil || rows < smallest!.rows { smallest = (group, rows) }
                guard groups.count < Self.maximumGroups, estimate + rows <= Double(budget) else { continue }
                // A group that contains a chosen smaller group adds no rows.
                if groups.contains(where: { Set($0).isSubset(of: group) }) { continue }
                groups.append(group)
                estimate += rows
            }
        }
        if groups.isEmpty {
            // Every combination is over budget: take the most selective one anyway (or the one
            // term there is) rather than find nothing.
            if let smallest {
                groups = [smallest.group]
                estimate = smallest.rows
            } else if let only = sorted.first {
                groups = [[only.lexeme]]
                estimate = Double(only.documents)
            }
        }
        self.init(groups: groups, estimatedRows: estimate)
    }

    /// The pre-selection as `tsquery` text, e.g. `'demobilis' | ('cash' & 'transfer')`.
    var tsquery: String {
        groups.map { group in
            group.count == 1 ? Self.quote(group[0]) : "(" + group.map(Self.quote).joined(separator: " & ") + ")"
        }.joined(separator: " | ")
    }

    /// Any of `lexemes`, as `tsquery` text, for ranking.
    static func anyOf(_ lexemes: [String]) -> String {
        lexemes.map(quote).joined(separator: " | ")
    }

    /// A lexeme as a quoted `tsquery` operand, taken literally (no parsing, no stemming).
    static func quote(_ lexeme: String) -> String {
        "'" + lexeme.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    private static func combinations(of terms: [Term], size: Int) -> [[Term]] {
        guard size > 0 else { return [[]] }
        guard terms.count >= size else { return [] }
        var result: [[Term]] = []
        for (index, term) in terms.enumerated() {
            for rest in combinations(of: Array(terms[(index + 1)...]), size: size - 1) {
                result.append([term] + rest)
            }
        }
        return result
    }
}
