import Foundation
import MeridianCodes
import MeridianDomainTestSupport
import MeridianFunding
import PropertyBased
import PostgresNIO
import Testing

@Suite("Money")
struct MoneyTests {
    static let codes = ["USD", "EUR", "JPY", "KWD", "XOF", "CLF"]

    @Test("formatting then parsing gives back the exact amount, for any amount Meridian accepts and any exponent")
    func roundTrip() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...Int(Money.largestMinorUnits)), Gen.int(in: 0...(Self.codes.count - 1))) { minor, index in
            let money = Money(minorUnits: Int64(minor), currency: Currency(code: Self.codes[index])!)
            let parsed = try? MoneyParser().parse(money.description)
            #expect(parsed == money, "\(money.description)")
            let plain = try? MoneyParser(defaultCurrency: money.currency).parse(money.decimalText)
            #expect(plain == money, "\(money.decimalText)")
        }
    }

    @Test("people's amounts are read exactly")
    func accepted() throws {
        #expect(try MoneyParser().parse("1,000.50 USD") == .usd(100_050))
        #expect(try MoneyParser().parse("USD 1000.5") == .usd(100_050))
        #expect(try MoneyParser().parse("0.07 USD") == .usd(7))
        #expect(try MoneyParser().parse("1,234,567 JPY") == Money(minorUnits: 1_234_567, currency: Currency(code: "JPY")!))
        #expect(try MoneyParser().parse("1.005 KWD") == Money(minorUnits: 1005, currency: Currency(code: "KWD")!))
        #expect(try MoneyParser().parse("2.125 JOD") == Money(minorUnits: 2125, currency: Currency(code: "JOD")!))
        #expect(try MoneyParser().parse("10,000,000,000,000.00 USD") == .usd(Money.largestMinorUnits))
        #expect(try MoneyParser(defaultCurrency: Currency(code: "USD")!).parse("150000") == .usd(15_000_000))
    }

    @Test("anything ambiguous or inexact is refused", arguments: [
        "1.005 USD", "-5 USD", "1e3 USD", "1,00 USD", "1 000 USD", "USD", "12.5", "1,000.50 XYZ", "1.2.3 USD", ".5 USD",
        "5. USD", "12,3456 USD", "1,000.5O USD", "99999999999999999999 USD", "Infinity USD", "NaN USD", "0x10 USD", "5 usd", "",
        "92233720368547758.07 USD", "10000000000000.01 USD", "1 XXX", "1 ZZZ",
    ])
    func refused(_ text: String) {
        #expect(throws: MoneyError.self) { try MoneyParser().parse(text) }
    }

    @Test("a default currency refuses amounts in another one")
    func otherCurrency() {
        #expect { try MoneyParser(defaultCurrency: Currency(code: "USD")!).parse("10 EUR") } throws: { ($0 as? MoneyError)?.code == .currencyMismatch }
    }

    @Test("instalments add up to the grant exactly; the last one takes the remainder")
    func instalments() async {
        await propertyCheck(count: 500, input: Gen.int(in: 1...1_000_000_000_000), Gen.int(in: 1...99)) { total, first in
            let parts = Instalments.amounts(of: Int64(total), percents: [first, 100 - first])
            #expect(parts.reduce(0, +) == Int64(total))
            #expect(parts.allSatisfy { $0 >= 0 })
            #expect(parts[0] == Int64(total) * Int64(first) / 100)
        }
        #expect(Instalments.amounts(of: 100_001, percents: [70, 30]) == [70_000, 30_001])
        #expect(Instalments.amounts(of: 10, percents: [33, 33, 34]) == [3, 3, 4])
    }

    @Test("IBANs are checked by their check digits")
    func ibans() throws {
        #expect(try BankAccount.iban("DE89 3704 0044 0532 0130 00").iban == "DE89370400440532013000")
        #expect(throws: FundingError.self) { try BankAccount.iban("DE88 3704 0044 0532 0130 00") }
        #expect(throws: FundingError.self) { try BankAccount.iban("not an iban") }
    }

    @Test("country codes: alpha-3 from the exchange module becomes IATI's alpha-2")
    func countries() {
        #expect(CountryCodes.alpha2("RWA") == "RW")
        #expect(CountryCodes.alpha2("KEN") == "KE")
        #expect(CountryCodes.alpha2("COD") == "CD")
        #expect(CountryCodes.alpha2("ke") == "KE")
        #expect(CountryCodes.alpha2("XXX") == nil)
        #expect(CountryCodes.alpha2("") == nil)
    }
}

/// Money's one JSON form, read back whatever the decoder's key strategy; codes checked.
@Suite("Money's JSON") struct MoneyJSONTests {
    @Test func oneFormWrittenAndReadBothWays() throws {
        let money = try Money(minorUnits: 1_500, code: "JOD")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(money), as: UTF8.self)
        #expect(text == #"{"currency":"JOD","minor_units":1500}"#)
        #expect(try JSONDecoder().decode(Money.self, from: Data(text.utf8)) == money)
        let snake = JSONDecoder()
        snake.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try snake.decode(Money.self, from: Data(text.utf8)) == money)
        // Records written before the one form kept the currency as an object.
        #expect(try JSONDecoder().decode(Money.self, from: Data(#"{"minorUnits":1500,"currency":{"code":"JOD","exponent":3}}"#.utf8)) == money)
    }

    @Test(arguments: [#"{"minor_units":1,"currency":"ZZZ"}"#, #"{"minor_units":1,"currency":"usd"}"#,
                      #"{"minor_units":10000000000000000,"currency":"USD"}"#, #"{"minor_units":1.5,"currency":"USD"}"#])
    func badMoneyIsRefused(_ json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Money.self, from: Data(json.utf8)) }
    }
}
