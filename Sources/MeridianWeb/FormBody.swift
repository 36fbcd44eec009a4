import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, as the pages' forms send it: each name with
/// every value it was given, in order (checkboxes repeat a name).
struct FormBody: Sendable {
    private(set) var values: [String: [String]] = [:]

    /// The most a form may send, as the API's bodies: a plan's form with every row its file
    /// may hold (100 activities, 200 budget lines) or a report's with its lessons, in languages
    /// whose letters percent-encode to several bytes each. Larger is refused (413) unread.
    static let limit = 1 << 20

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

    /// Whether the form sent a field called `name` (empty or not).
    func contains(_ name: String) -> Bool { values[name] != nil }

    /// Every value of `name`.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    private static func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}
