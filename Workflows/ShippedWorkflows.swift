import Foundation

/// The workflow definitions that ship with Meridian, as bundled files.
///
/// They live in `Workflows/` so operators can read and diff them; this module lets the
/// binary find the same files at run time (for `meridian bench workflow`, demos, deployment).
public enum ShippedWorkflows {
    /// The shipped definition files' names, without extension.
    public static let names = ["knowledge-exchange", "grant"]

    /// The URL of each shipped definition, in `names` order.
    public static var urls: [URL] {
        names.map { url(named: $0) }
    }

    /// The URL of one shipped definition.
    public static func url(named name: String) -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: "xml") else {
            preconditionFailure("the shipped workflow \(name).xml is missing from the bundle; check Package.swift")
        }
        return url
    }
}
