import Foundation

/// Helpers of the exchange commands: ids, files and the one-line answer.
enum ExchangeSession {
    /// An exchange id from the command line; a malformed one is a usage error.
    static func id(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else {
            throw CLIFailure("'\(text)' is not an exchange id; ids look like 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 (see `meridian exchange list`)", status: .usage)
        }
        return id
    }

    /// The bytes of `path`, or a not-found failure.
    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure("cannot read \(path): no such file or it is not readable", status: .notFound)
        }
        return data
    }

    static func line(_ id: UUID, _ text: String) -> String {
        "exchange \(id.uuidString.lowercased()): \(text)"
    }
}
