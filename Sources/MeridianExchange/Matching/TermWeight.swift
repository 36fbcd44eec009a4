import Foundation

/// How much a request word counts in matching: rare words say more about a problem than
/// common ones ("registry", "procurement" against "programme", "poor", "national").
///
/// The factor is the word's inverse document frequency, BM25's form, scaled so that a word
/// held by half the catalogue counts 1: `ln(1 + (N − n + 0.5) / (n + 0.5)) / ln 2`, with N
/// the experiences and n those holding the word (`experience_terms`). A word in one
/// experience of 130 counts about 6.5, one in nearly all close to 0. The text rank is the
/// sum, over the request's words in an experience, of their positions' weights (A 1.0, B 0.4,
/// C 0.2, D 0.1) times this factor. `TextRank` still gives `ts_rank_cd`'s unweighted value;
/// the postings pre-selection orders by the weighted one (`Matcher.weightedPreselection`).
enum TermWeight {
    /// What a term added from a recognised concept (its English synonyms) counts, against the
    /// request's own words: a synonym is evidence of the same concept, weaker than the word
    /// the official chose. A translated request is carried by these terms alone, so the factor
    /// scales its text ranks uniformly and changes its order little.
    static let expansionFactor = 0.5

    static func factor(documents: Int, total: Int) -> Double {
        let n = Double(max(documents, 0))
        let total = Double(max(total, documents, 1))
        return log(1 + (total - n + 0.5) / (n + 0.5)) / log(2)
    }
}
