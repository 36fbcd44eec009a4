import Foundation

/// An exchange's child rows (partners, plans, reports, …) read inside another statement: SQL
/// aggregates them as `json_agg(json_build_array(…))`, one JSON array of columns per row, and
/// each store decodes its columns in order.
///
/// Reading one exchange took a statement per kind of child row, and at 64 clients the server
/// and PostgreSQL spent most of each request parsing, planning and passing those statements,
/// not on their data (docs/benchmarks.md, "The HTTP API"). With the children as columns of
/// one statement a read is one round trip.
enum ChildRows {
    /// The rows of `type` in `json` (`NULL`, when there are none, reads as none).
    static func decode<Row: Decodable>(_ type: Row.Type, from json: String?) throws -> [Row] {
        guard let json else { return [] }
        return try JSONDecoder().decode([Row].self, from: Data(json.utf8))
    }

    /// One value of `type` in `json` (a single row built with `json_build_array`), or `nil`.
    static func decodeOne<Row: Decodable>(_ type: Row.Type, from json: String?) throws -> Row? {
        guard let json else { return nil }
        return try JSONDecoder().decode(Row.self, from: Data(json.utf8))
    }

    /// The SQL of a `timestamptz` column as PostgreSQL keeps it, microseconds since 2000-01-01
    /// UTC, so that ``UnkeyedDecodingContainer/decodeTimestamp()`` makes the very `Date`
    /// PostgresNIO makes of the column itself (a text date would round differently).
    static func timestamp(_ column: String) -> String {
        "((extract(epoch FROM \(column)) - 946684800) * 1000000)::int8"
    }
}

extension UnkeyedDecodingContainer {
    /// A timestamp written by ``ChildRows/timestamp(_:)``, decoded as PostgresNIO decodes the
    /// column's binary value.
    mutating func decodeTimestamp() throws -> Date {
        let microseconds = try decode(Int64.self)
        return Date(timeInterval: Double(microseconds) / 1_000_000, since: Date(timeIntervalSince1970: 946_684_800))
    }

    /// ``decodeTimestamp()`` of a column that may be `NULL`.
    mutating func decodeTimestampIfPresent() throws -> Date? {
        guard let microseconds = try decodeIfPresent(Int64.self) else { return nil }
        return Date(timeInterval: Double(microseconds) / 1_000_000, since: Date(timeIntervalSince1970: 946_684_800))
    }
}
