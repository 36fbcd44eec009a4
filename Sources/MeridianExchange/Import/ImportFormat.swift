import Foundation

/// The kinds of file `kb import` reads.
public enum ImportFormat: String, CaseIterable, Sendable {
    /// Comma-separated values with a header row (RFC 4180 quoting); list fields (`sectors`,
    /// `sources`) separate their items with `|`.
    case csv
    /// A JSON array of objects with the same field names; list fields are arrays.
    case json

    /// The format a file's extension implies, or `nil`.
    public init?(fileExtensionOf path: String) {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "csv": self = .csv
        case "json": self = .json
        default: return nil
        }
    }
}
