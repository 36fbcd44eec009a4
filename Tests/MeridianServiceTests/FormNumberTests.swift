import Foundation
@testable import MeridianWeb
import Testing

/// Numbers typed in the pages' forms (indicators' baselines, targets and actuals): read as the
/// four languages write them, never guessed when a separator could mean a thousand or a decimal.
@Suite struct FormNumberTests {
    @Test(arguments: [
        ("12", Decimal(12)), ("40.5", Decimal(string: "40.5")!), ("40,5", Decimal(string: "40.5")!), ("12 000", Decimal(12_000)),
        ("12\u{202F}000", Decimal(12_000)), ("-3", Decimal(-3)), ("0.125", Decimal(string: "0.125")!), (" 7 ", Decimal(7)),
    ])
    func readsWhatPeopleWrite(_ text: String, _ value: Decimal) {
        #expect(RequestForm.number(text) == value, "\(text)")
    }

    @Test(arguments: ["12,000", "12.000", "-12,000", "12,000.5", "12.000,5", "0x10", "1e3", "12abc", "", " ", ",5", "5,", "--1"])
    func refusesWhatItWouldHaveToGuess(_ text: String) {
        #expect(RequestForm.number(text) == nil, "\(text)")
    }
}
