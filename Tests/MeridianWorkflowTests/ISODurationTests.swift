import Foundation
import MeridianWorkflow
import Testing

@Suite("ISO 8601 durations")
struct ISODurationTests {
    @Test(arguments: [("P5D", "P5D"), ("PT36H", "PT36H"), ("P1Y2M10DT2H30M", "P1Y2M10DT2H30M"), ("P2W", "P2W"), ("PT0S", "PT0S")])
    func parsesAndPrints(_ text: String, _ canonical: String) throws {
        #expect(try ISODuration(parsing: text).description == canonical)
    }

    @Test(arguments: ["", "P", "PT", "5D", "P1.5D", "P-1D", "P1H", "PT1D", "P1D1M", "P1DT", "P1234567D", "p1d", "P1D "])
    func rejects(_ text: String) {
        #expect(throws: ISODuration.ParseError.self) { try ISODuration(parsing: text) }
    }

    @Test func addsCalendarUnitsInUTC() throws {
        let start = try Date("2024-01-31T10:00:00Z", strategy: .iso8601)
        #expect(try ISODuration(parsing: "P1M").added(to: start) == Date("2024-02-29T10:00:00Z", strategy: .iso8601))
        #expect(try ISODuration(parsing: "P1DT2H").added(to: start) == Date("2024-02-01T12:00:00Z", strategy: .iso8601))
    }
}
