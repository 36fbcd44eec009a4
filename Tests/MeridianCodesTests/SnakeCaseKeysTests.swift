import Foundation
import MeridianCodes
import Testing

@Suite("the wire's key rule, both ways")
struct SnakeCaseKeysTests {
    @Test("snake_case back to Meridian's names: a segment id is ID, other words capitalised, plain keys kept")
    func camelCase() {
        let cases = [("exchange_id", "exchangeID"), ("published_experience_id", "publishedExperienceID"), ("minor_units", "minorUnits"),
                     ("end_to_end_id", "endToEndID"), ("id", "id"), ("state", "state"), ("top1", "top1"),
                     ("identity_card", "identityCard"), ("_private_key", "_privateKey"), ("trailing_", "trailing_")]
        for (wire, name) in cases { #expect(SnakeCaseKeys.camelCase(wire) == name, "\(wire)") }
    }

    @Test("the inverse of Foundation's snake_case conversion for Meridian's names")
    func inverse() throws {
        struct Names: Codable, Equatable {
            var exchangeID: String
            var minorUnits: Int
            var publishedExperienceID: Int?
            var id: Int
        }
        let value = Names(exchangeID: "x", minorUnits: 5, publishedExperienceID: 7, id: 1)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in AnyKey(SnakeCaseKeys.camelCase(path.last!.stringValue)) }
        #expect(try decoder.decode(Names.self, from: encoder.encode(value)) == value)
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ value: String) { stringValue = value }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
