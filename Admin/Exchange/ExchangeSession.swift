import Foundation
import Logging
import MeridianEngine
import MeridianExchange
import MeridianIdentity
import PostgresNIO

/// Opens the database, signs in the user of MERIDIAN_TOKEN and runs `body` with the exchange
/// actions (over the engine with every task handler) and that user as an ``ExchangeActor``.
enum ExchangeSession {
    static func run<Result: Sendable>(
        _ database: DatabaseOptions, _ body: (Exchanges, ExchangeActor) async throws -> Result
    ) async throws -> Result {
        try await database.withClient { client, logger in
            let user = try await ActingUser.resolve(client: client, logger: logger)
            let actor = user.exchangeActor
            let engine = try EngineHandlers.engine(client: client, logger: logger)
            return try await body(Exchanges(engine: engine, logger: logger), actor)
        }
    }

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
