import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, as the pages' forms send it: each name with
/// every value it was given, in order (checkboxes repeat a name).
struct FormBody: Sendable {
    private(set) var values: [String: [String]] = [:]

    /// Forms are small; anything larger is refused before it is read.
    static let limit = 64 * 1024

    init(_ text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    /// Reads and parses the request's body (at most ``limit`` bytes).
    static func read(_ request: Request) async throws -> FormBody {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        return FormBody(String(buffer: buffer))
    }

    /// The first value of `name`, or "".
    subscript(_ name: String) -> String { values[name]?.first ?? "" }

    /// Every value of `name`.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    private static func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}
