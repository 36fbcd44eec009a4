@testable import MeridianExchange
import Testing

@Suite("candidate pre-selection and spelling")
struct CandidatePlanTests {
    typealias Term = CandidatePlan.Term

    @Test("rare terms are taken one by one within the budget; common ones only in pairs or triples")
    func rareFirst() {
        let terms = [
            Term(word: "demobilised", lexeme: "demobilis", documents: 40),
            Term(word: "combatants", lexeme: "combat", documents: 300),
            Term(word: "households", lexeme: "household", documents: 60_000),
            Term(word: "poor", lexeme: "poor", documents: 50_000),
            Term(word: "new", lexeme: "newword", documents: 0),
        ]
        let plan = CandidatePlan(terms: terms, total: 100_000, budget: 1_000)
        #expect(Array(plan.groups.prefix(3)) == [["newword"], ["demobilis"], ["combat"]])
        #expect(!plan.groups.contains(["household"]) && !plan.groups.contains(["poor"]))
        #expect(plan.estimatedRows <= 1_000)
        #expect(plan.tsquery.hasPrefix("'newword' | 'demobilis' | 'combat'"))
    }

    @Test("when every term is common, the most selective combination is used rather than nothing")
    func allCommon() {
        let terms = [
            Term(word: "a", lexeme: "poverti", documents: 90_000),
            Term(word: "b", lexeme: "programm", documents: 95_000),
        ]
        let plan = CandidatePlan(terms: terms, total: 100_000, budget: 1_000)
        #expect(plan.groups == [["poverti", "programm"]])
    }

    @Test("lexemes are quoted literally in tsquery text")
    func quoting() {
        #expect(CandidatePlan.quote("it's") == "'it''s'")
        #expect(CandidatePlan.quote("a\\b") == "'a\\\\b'")
    }

    @Test("British and American spellings are both searched")
    func spelling() {
        #expect(SpellingVariants.variant(of: "demobilisation") == "demobilization")
        #expect(SpellingVariants.variant(of: "organized") == "organised")
        #expect(SpellingVariants.variant(of: "labour") == "labor")
        #expect(SpellingVariants.variant(of: "cash") == nil)
        #expect(SpellingVariants.expand("demobilised soldiers").hasSuffix("demobilized"))
    }
}
