import Foundation
import Logging
import MeridianPostgres
import MeridianQueue
import MeridianTestSupport
import PostgresNIO

/// Runs `body` with a fresh migrated database, a pooled client on it and a store.
public func withQueue<Result: Sendable>(
    _ body: (TestDatabase, PostgresClient, QueueStore) async throws -> Result
) async throws -> Result {
    try await TestDatabase.withFresh { database in
        try await withPostgresClient(database.settings, logger: database.logger) { client in
            try await body(database, client, QueueStore(logger: database.logger))
        }
    }
}

/// One integer from a query.
public func scalar(_ query: PostgresQuery, on client: PostgresClient) async throws -> Int64 {
    let rows = try await client.query(query).collect()
    return try rows[0].decode(Int64.self)
}

/// The number of waiting or running jobs.
public func hotCount(_ client: PostgresClient) async throws -> Int64 {
    try await scalar("SELECT count(*) FROM queue_jobs", on: client)
}

extension QueueStore {
    /// Claims everything claimable in `queue` with a long lease.
    public func claimAll(_ queue: QueueName = .default, limit: Int = 1000, on client: PostgresClient) async throws -> [ClaimedJob] {
        try await claim(queue: queue, limit: limit, leaseMilliseconds: 60_000, workerID: "test", on: client)
    }
}
