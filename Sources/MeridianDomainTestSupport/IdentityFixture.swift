import Foundation
import Logging
import MeridianIdentity
import MeridianPostgres
import MeridianTestSupport
import PostgresNIO
import Testing

/// A fresh migrated database and an identity store on it, for one test.
public func withIdentity<Result: Sendable>(
    _ body: (IdentityStore, TestDatabase) async throws -> Result
) async throws -> Result {
    try await TestDatabase.withFresh { database in
        try await withPostgresClient(database.settings, logger: database.logger) { client in
            try await body(IdentityStore(client: client, logger: database.logger), database)
        }
    }
}

/// One integer from a query, for checks on the tables themselves.
public func scalar(_ store: IdentityStore, _ query: PostgresQuery) async throws -> Int {
    for try await value in try await store.client.query(query, logger: store.logger).decode(Int.self) { return value }
    return 0
}
