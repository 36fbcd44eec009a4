import MeridianCodes
import Testing

@Suite("ISO 4217 and ISO 3166-1, the one table of each")
struct CodesTests {
    @Test("minor-unit digits: three for the dinars and rials, none for yen and won, two for the dollar")
    func minorUnits() {
        for code in ["JOD", "KWD", "TND", "BHD", "OMR", "LYD", "IQD"] { #expect(ISO4217.minorUnitDigits(code) == 3, "\(code)") }
        for code in ["JPY", "KRW", "XOF", "XAF", "RWF", "UGX"] { #expect(ISO4217.minorUnitDigits(code) == 0, "\(code)") }
        for code in ["USD", "EUR", "GBP", "CDF", "ZWG"] { #expect(ISO4217.minorUnitDigits(code) == 2, "\(code)") }
        for code in ["ZZZ", "XXX", "XTS", "XAU", "usd", "US", "USDD", ""] { #expect(!ISO4217.isCurrency(code), "\(code)") }
    }

    @Test("countries: alpha-3 and alpha-2 both known, each mapped to the other; made-up codes refused")
    func countries() {
        #expect(ISO3166.isAlpha3("COD") && ISO3166.isAlpha3("RWA") && ISO3166.isAlpha3("SLE"))
        #expect(!ISO3166.isAlpha3("XYZ") && !ISO3166.isAlpha3("cod") && !ISO3166.isAlpha3("CD"))
        #expect(ISO3166.isAlpha2("CD") && !ISO3166.isAlpha2("XX"))
        #expect(ISO3166.alpha2("COD") == "CD" && ISO3166.alpha2("sle") == "SL" && ISO3166.alpha2("XYZ") == nil)
        #expect(ISO3166.alpha3("BR") == "BRA" && ISO3166.alpha3("rwa") == "RWA" && ISO3166.alpha3("QQ") == nil)
    }

    @Test("text: NUL, escapes, BEL and bidi overrides refused; lengths counted in code points, as PostgreSQL counts; printed back escaped")
    func text() {
        #expect(InputText.problem("Peace now", field: "goal", maximum: 20) == nil)
        #expect(InputText.problem("two\nlines", field: "goal", maximum: 20) == nil)
        #expect(InputText.problem("two\nlines", field: "name", maximum: 20, multiline: false) != nil)
        #expect(InputText.problem("a\u{0}b", field: "goal", maximum: 20)?.contains("NUL") == true)
        #expect(InputText.problem("\u{1B}[31mred", field: "goal", maximum: 20)?.contains("U+001B") == true)
        #expect(InputText.problem("ring\u{07}", field: "goal", maximum: 20)?.contains("U+0007") == true)
        #expect(InputText.problem("\u{202E}txt", field: "goal", maximum: 20)?.contains("U+202E") == true)
        #expect(InputText.problem("Lucía", field: "name", maximum: 5) == nil)
        #expect(InputText.problem("Lucíaa", field: "name", maximum: 5)?.contains("at most 5") == true)
        // Three flags are three characters but six code points: PostgreSQL's length() says 6.
        #expect(InputText.problem(String(repeating: "🇺🇸", count: 3), field: "name", maximum: 5)?.contains("has 6 characters") == true)
        #expect(InputText.printable("a\u{1B}[2Jb\nc") == "a\\u{1B}[2Jb\\u{A}c")
        #expect(InputText.keyProblem("scr-1") == nil)
        #expect(InputText.keyProblem(String(repeating: "k", count: 201)) != nil)
        #expect(InputText.keyProblem("with space") != nil && InputText.keyProblem("") != nil)
    }

    @Test("numbers parse whole or not at all")
    func numbers() {
        for good in ["12", "-3", "12.5", "0", "40.25"] { #expect(StrictNumber.isDecimal(good), "\(good)") }
        for bad in ["12,5", "40abc", "0x10", "1e3", " 7", "7 ", "", "-", ".5", "5.", "1.2.3", "+4", "١٢"] { #expect(!StrictNumber.isDecimal(bad), "\(bad)") }
        #expect(StrictNumber.integer("-42") == -42 && StrictNumber.integer("4x") == nil && StrictNumber.integer("9999999999999999999") == nil)
    }
}
