import Foundation

/// A job's arguments as JSON text, stored as `jsonb`.
///
/// Kept as text so that the queue never needs to know a job's types; handlers decode it.
public struct JobPayload: Sendable, Hashable, CustomStringConvertible {
    /// The JSON text.
    public var json: String

    public init(json: String) { self.json = json }

    /// Encodes `value` with a plain `JSONEncoder`.
    public init(_ value: some Encodable) throws {
        self.json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    /// The empty object.
    public static let empty = JobPayload(json: "{}")

    /// Decodes the payload as `type`.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    public var description: String { json }
}
